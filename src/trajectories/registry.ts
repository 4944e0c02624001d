// Trajectory formats by name, and the one place a format is chosen: forced by name or detected from content.
import { SweSrlError } from '../util/errors.ts';
import type { TrajectoryFormat } from './format.ts';
import { miniSweAgentFormat } from './formats/mini-swe-agent.ts';
import { nebiusFormat } from './formats/nebius.ts';
import { normalizedFormat } from './formats/normalized.ts';
import { openhandsChatFormat } from './formats/openhands-chat.ts';
import { openhandsEventsFormat } from './formats/openhands-events.ts';
import { sweAgentFormat } from './formats/swe-agent.ts';
import { sweRebenchFormat } from './formats/swe-rebench.ts';
import { sweSmithFormat } from './formats/swe-smith.ts';

// Order matters for detection only where two sniffers could both answer: the more specific goes first.
const FORMATS: readonly TrajectoryFormat[] = [
  normalizedFormat,
  sweAgentFormat,
  miniSweAgentFormat,
  openhandsChatFormat,
  sweSmithFormat,
  sweRebenchFormat,
  nebiusFormat,
  openhandsEventsFormat,
];

/** Names of all registered formats. */
export function formatNames(): string[] {
  return FORMATS.map((f) => f.name);
}

/** All registered formats. */
export function listFormats(): readonly TrajectoryFormat[] {
  return FORMATS;
}

/** The format of that name; an unknown name fails listing the valid ones. */
export function getFormat(name: string): TrajectoryFormat {
  const f = FORMATS.find((x) => x.name === name);
  if (!f) {
    throw new SweSrlError({
      code: 'trajectory_format_unknown',
      message: `unknown trajectory format "${name}"`,
      fault: 'user',
      value: name,
      hint: `Valid formats: ${formatNames().join(', ')}.`,
    });
  }
  return f;
}

/** Picks the format from a parsed file's content (and name); fails listing the valid names when none matches. */
export function detectFormat(json: unknown, fileName: string): TrajectoryFormat {
  const f = FORMATS.find((x) => x.detect(json, fileName));
  if (!f) {
    throw new SweSrlError({
      code: 'trajectory_format_undetected',
      message: 'no trajectory format recognises this content',
      fault: 'user',
      file: fileName,
      hint: `Force one with --format NAME; valid formats: ${formatNames().join(', ')}.`,
    });
  }
  return f;
}
