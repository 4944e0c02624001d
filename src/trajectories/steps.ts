// Assembling steps: thought-only turns fold into the next step's thought, and shared end checks on a trajectory.
import { diffFiles } from './text.ts';
import { TRAJECTORY_VERSION, type Action, type Step, type Trajectory } from './types.ts';

export class StepBuilder {
  readonly steps: Step[] = [];
  private pending: string[] = [];
  /** Turns that carried no action (format errors, chat-only replies, `think` calls), folded into the next thought. */
  foldedTurns = 0;

  /** A turn with text but no action: its text joins the next step's thought. */
  thoughtOnly(text: string): void {
    this.foldedTurns++;
    if (text.trim()) this.pending.push(text.trim());
  }

  /** Adds a step; returns it so that its observation can be filled in when it arrives. */
  step(s: { thought: string; action: Action; observation?: string }): Step {
    const thought = [...this.pending, s.thought.trim()].filter(Boolean).join('\n\n');
    this.pending = [];
    const step: Step = { thought, action: s.action, observation: s.observation ?? '' };
    this.steps.push(step);
    return step;
  }

  /** Text of thought-only turns after the last action (e.g. a closing summary), if any. */
  trailingThought(): string | undefined {
    return this.pending.length ? this.pending.join('\n\n') : undefined;
  }

  /** Meta facts about folding, to merge into the trajectory's meta. */
  foldMeta(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    if (this.foldedTurns) out.foldedTurns = this.foldedTurns;
    const trailing = this.trailingThought();
    if (trailing) out.trailingThought = trailing;
    return out;
  }
}

/** Builds the Trajectory object with its version, dropping undefined optional fields, and runs the end checks. */
export function makeTrajectory(t: Omit<Trajectory, 'version'>): Trajectory {
  const out: Trajectory = { version: TRAJECTORY_VERSION, format: t.format, instanceId: t.instanceId, source: t.source, steps: t.steps, meta: { ...t.meta } };
  if (t.source.index === undefined) out.source = { file: t.source.file };
  if (t.problemStatement !== undefined) out.problemStatement = t.problemStatement;
  if (t.submission !== undefined && t.submission.trim() !== '') out.submission = t.submission;
  if (t.resolved !== undefined) out.resolved = t.resolved;
  const warnings = checkSubmission(out);
  if (warnings.length) out.meta.warnings = [...((out.meta.warnings as string[] | undefined) ?? []), ...warnings];
  return out;
}

// A submission whose files the agent never looked at or mentioned is most likely attached to the wrong row.
function checkSubmission(t: Trajectory): string[] {
  if (!t.submission) return [];
  const files = diffFiles(t.submission);
  if (!files.length) return ['submission is not a git diff'];
  const seen = t.steps.map((s) => `${s.action.raw}\n${s.observation}`).join('\n');
  const unseen = files.filter((f) => !seen.includes(f));
  if (unseen.length === files.length) {
    return [`submission touches ${files.join(', ')}, which no step of the trajectory mentions: it may belong to another run`];
  }
  return [];
}
