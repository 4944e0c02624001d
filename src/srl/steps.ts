// Step-wise SRL examples from one expert trajectory (pure): for each step k whose action is a tool call, the prompt
// is the system text, the issue and the last K (action, observation) pairs before k; the target is the expert's
// call k rendered canonically (renderCall), which is how reward.ts expects expert actions to be stored.
import { createHash } from 'node:crypto';
import type { Step, Trajectory } from '../trajectories/types.ts';
import { SweSrlError } from '../util/errors.ts';
import { renderCall } from './action-xml.ts';
import { mapCall, rootMapper } from './paths.ts';
import { defaultSystemPrompt, renderUserMessage, type ChatMessage, type ContextStep } from './prompt.ts';
import { truncateMiddle } from './truncate.ts';

export interface BuildOptions {
  /** The issue text (problem statement) shown to the policy. */
  issue: string;
  /** `owner/name`, shown in the prompt and kept in the example. */
  repo: string;
  /** How many previous steps the prompt shows (2 in the SRL paper), or 'all'. */
  contextSteps: number | 'all';
  /** Each shown observation is cut to this many characters (head and tail kept). */
  maxObservationChars: number;
  /** Budget for the whole prompt (all message contents): oldest shown steps go first, then the issue is cut. */
  maxPromptChars?: number;
  /** Make no example of submit steps (they still show as context). */
  dropSubmit: boolean;
  /** Replace the recorded repository root (meta.repoRoot) by /testbed in actions and outputs; default true. */
  mapPaths?: boolean;
  /** Overrides the default system message. */
  systemPrompt?: string;
}

/** One training example: predict expert step `step` from the prompt. */
export interface SrlExample {
  /** `<instance_id>/<trajectory hash>/<step>`: stable across runs, machines and file layouts. */
  id: string;
  instanceId: string;
  /** 1-based step number of the target in its trajectory. */
  step: number;
  /** Number of steps in the trajectory. */
  numSteps: number;
  format: string;
  repo: string;
  prompt: ChatMessage[];
  /** renderCall(expert call), paths mapped. */
  target: string;
  tool: string;
  /** Steps shown in the prompt, and earlier ones left out (window plus budget). */
  shownSteps: number;
  omittedSteps: number;
  /** Characters cut from shown observations and from the issue. */
  observationCharsCut: number;
  issueCharsCut: number;
  source: { file: string; index?: number };
  resolved?: boolean;
}

export type StepSkipReason = 'no_call' | 'submit' | 'unrenderable' | 'prompt_too_long';

export interface BuildResult {
  examples: SrlExample[];
  skipped: Array<{ step: number; reason: StepSkipReason; detail?: string }>;
}

/** The issue is never cut below this many characters, however small the prompt budget. */
export const MIN_ISSUE_CHARS = 200;

/** Builds one example per step that has a call (see BuildOptions for what is dropped and cut). */
export function buildExamples(t: Trajectory, opts: BuildOptions): BuildResult {
  checkOptions(opts);
  const map = opts.mapPaths === false ? (s: string) => s : rootMapper(t.meta.repoRoot);
  const system = opts.systemPrompt ?? defaultSystemPrompt();
  const hash = trajectoryHash(t);
  const { shown, targets } = renderSteps(t.steps, map, opts.maxObservationChars);
  const result: BuildResult = { examples: [], skipped: [] };
  for (const [i, s] of t.steps.entries()) {
    const step = i + 1;
    const target = targets[i];
    if (!s.action.call) {
      result.skipped.push({ step, reason: 'no_call' });
      continue;
    }
    if (target === undefined) {
      result.skipped.push({ step, reason: 'unrenderable', detail: 'the call cannot be written in the XML action format' });
      continue;
    }
    if (opts.dropSubmit && s.action.call.tool === 'submit') {
      result.skipped.push({ step, reason: 'submit' });
      continue;
    }
    const windowStart = opts.contextSteps === 'all' ? 0 : Math.max(0, i - opts.contextSteps);
    const fitted = fitPrompt({ system, opts, shown, windowStart, index: i });
    if (!fitted) {
      result.skipped.push({ step, reason: 'prompt_too_long', detail: `over ${opts.maxPromptChars} characters with no steps shown` });
      continue;
    }
    result.examples.push({
      id: `${t.instanceId}/${hash}/${step}`,
      instanceId: t.instanceId,
      step,
      numSteps: t.steps.length,
      format: t.format,
      repo: opts.repo,
      prompt: fitted.prompt,
      target,
      tool: s.action.call.tool,
      shownSteps: i - fitted.start,
      omittedSteps: fitted.start,
      observationCharsCut: shown.slice(fitted.start, i).reduce((n, c) => n + c.observationCut, 0),
      issueCharsCut: fitted.issueCut,
      source: t.source,
      ...(t.resolved === undefined ? {} : { resolved: t.resolved }),
    });
  }
  return result;
}

// Each step as the prompt shows it (call rendered canonically, or the raw action; observation cut), and each
// step's rendered call (undefined when it has none or it cannot be written as XML).
function renderSteps(
  steps: readonly Step[],
  map: (s: string) => string,
  maxObservationChars: number,
): { shown: ContextStep[]; targets: Array<string | undefined> } {
  const shown: ContextStep[] = [];
  const targets: Array<string | undefined> = [];
  for (const [i, s] of steps.entries()) {
    let rendered: string | undefined;
    if (s.action.call) {
      try {
        rendered = renderCall(mapCall(s.action.call, map));
      } catch {
        rendered = undefined;
      }
    }
    targets.push(rendered);
    const obs = truncateMiddle(map(s.observation), maxObservationChars);
    shown.push({ step: i + 1, action: rendered ?? map(s.action.raw), isCall: rendered !== undefined, observation: obs.text, observationCut: obs.cut });
  }
  return { shown, targets };
}

/**
 * The prompt for the step after `steps` (an agent acting live): the same layout, window and budget as the
 * examples SRL trains on, so the policy sees at test time what it saw in training. Undefined when even the
 * shortest form exceeds maxPromptChars.
 */
export function nextStepPrompt(o: Omit<BuildOptions, 'dropSubmit' | 'mapPaths'> & { steps: readonly Step[] }): ChatMessage[] | undefined {
  const { shown } = renderSteps(o.steps, (x) => x, o.maxObservationChars);
  const i = o.steps.length;
  const windowStart = o.contextSteps === 'all' ? 0 : Math.max(0, i - o.contextSteps);
  const opts: BuildOptions = { ...o, dropSubmit: false };
  return fitPrompt({ system: o.systemPrompt ?? defaultSystemPrompt(), opts, shown, windowStart, index: i })?.prompt;
}

// The prompt for step index i: the window [windowStart, i), shrunk from the oldest step and then by cutting the
// issue until it fits maxPromptChars; undefined when even the shortest form does not fit.
function fitPrompt(o: {
  system: string;
  opts: BuildOptions;
  shown: readonly ContextStep[];
  windowStart: number;
  index: number;
}): { prompt: ChatMessage[]; start: number; issueCut: number } | undefined {
  const make = (start: number, issue: string, issueCut: number): ChatMessage[] => [
    { role: 'system', content: o.system },
    {
      role: 'user',
      content: renderUserMessage({
        issue,
        issueCut,
        repo: o.opts.repo,
        step: o.index + 1,
        context: o.shown.slice(start, o.index),
        omitted: start,
        omittedForBudget: start - o.windowStart,
      }),
    },
  ];
  const max = o.opts.maxPromptChars;
  let start = o.windowStart;
  let prompt = make(start, o.opts.issue, 0);
  if (max === undefined) return { prompt, start, issueCut: 0 };
  while (promptChars(prompt) > max && start < o.index) {
    start++;
    prompt = make(start, o.opts.issue, 0);
  }
  if (promptChars(prompt) <= max) return { prompt, start, issueCut: 0 };
  const over = promptChars(prompt) - max;
  // The issue's note adds a line, so aim a little lower than the bare overflow; then check.
  const budget = Math.max(MIN_ISSUE_CHARS, o.opts.issue.length - over - 100);
  const cut = truncateMiddle(o.opts.issue, budget);
  prompt = make(start, cut.text, cut.cut);
  return promptChars(prompt) <= max ? { prompt, start, issueCut: cut.cut } : undefined;
}

/** Total characters of a prompt's message contents (what maxPromptChars bounds). */
export function promptChars(messages: readonly ChatMessage[]): number {
  return messages.reduce((n, m) => n + m.content.length, 0);
}

/** A short content hash of a trajectory: the same run gives the same id wherever its file lies. */
export function trajectoryHash(t: Trajectory): string {
  const h = createHash('sha256');
  h.update(JSON.stringify([t.format, t.instanceId, t.steps.map((s) => [s.action.raw, s.observation])]));
  return h.digest('hex').slice(0, 12);
}

function checkOptions(o: BuildOptions): void {
  const bad = (field: string, value: unknown, hint: string): SweSrlError =>
    new SweSrlError({ code: 'bad_build_option', message: `invalid ${field}`, fault: 'user', field, value, hint });
  if (o.contextSteps !== 'all' && !(Number.isInteger(o.contextSteps) && o.contextSteps >= 0)) {
    throw bad('contextSteps', o.contextSteps, 'Give a whole number >= 0, or "all".');
  }
  if (!(Number.isInteger(o.maxObservationChars) && o.maxObservationChars >= 64)) {
    throw bad('maxObservationChars', o.maxObservationChars, 'Give a whole number of characters, at least 64.');
  }
  if (o.maxPromptChars !== undefined && !(Number.isInteger(o.maxPromptChars) && o.maxPromptChars > 0)) {
    throw bad('maxPromptChars', o.maxPromptChars, 'Give a whole number of characters.');
  }
}
