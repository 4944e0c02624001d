// One agent episode in a task's sandbox: the policy sees the SRL prompt of the next step (issue + last K steps),
// answers with <think> and one tool call, the call runs through the real tools in a persistent shell, and the
// output becomes the next step's context. A malformed answer is shown back to the policy as the step's output;
// too many in a row end the episode, as do submit, the step cap and a prompt that no longer fits.
import type { ChatMessage } from '../srl/prompt.ts';
import { nextStepPrompt } from '../srl/steps.ts';
import type { ToolContext } from '../tools/context.ts';
import { runAgentStep } from '../tools/agent-step.ts';
import type { Step } from '../trajectories/types.ts';

export interface EpisodeSettings {
  maxSteps: number;
  /** Malformed answers in a row that end the episode. */
  maxFormatErrors: number;
  /** Previous steps shown (as SRL's examples: 2 in the paper), or 'all'. */
  contextSteps: number | 'all';
  maxObservationChars: number;
  maxPromptChars?: number;
}

export const DEFAULT_EPISODE: EpisodeSettings = { maxSteps: 30, maxFormatErrors: 3, contextSteps: 2, maxObservationChars: 4000 };

/**
 * How an episode ended; `error`: its sandbox could not be started or failed under it (an infrastructure fault; not
 * saved as finished, so a re-run tries it again).
 */
export type ExitStatus = 'submitted' | 'max_steps' | 'format_errors' | 'prompt_too_long' | 'error';

export class Episode {
  readonly steps: Step[] = [];
  exit: ExitStatus | undefined;
  submission: string | undefined;
  formatErrors = 0;
  private errorsInRow = 0;

  constructor(
    readonly o: {
      instanceId: string;
      issue: string;
      repo: string;
      ctx: ToolContext;
      settings: EpisodeSettings;
      /** Steps already taken (an episode resumed from its saved partial trajectory, its calls replayed). */
      resume?: { steps: Step[]; formatErrors: number; errorsInRow: number };
    },
  ) {
    if (o.resume) {
      this.steps.push(...o.resume.steps);
      this.formatErrors = o.resume.formatErrors;
      this.errorsInRow = o.resume.errorsInRow;
    }
  }

  /** Malformed answers in a row at the end of the episode so far (saved with a partial trajectory). */
  get malformedInRow(): number {
    return this.errorsInRow;
  }

  /** The prompt of the next step; ends the episode (prompt_too_long) when it cannot fit. */
  prompt(): ChatMessage[] | undefined {
    if (this.exit) return undefined;
    const s = this.o.settings;
    const p = nextStepPrompt({
      steps: this.steps,
      issue: this.o.issue,
      repo: this.o.repo,
      contextSteps: s.contextSteps,
      maxObservationChars: s.maxObservationChars,
      maxPromptChars: s.maxPromptChars,
    });
    if (!p) this.exit = 'prompt_too_long';
    return p;
  }

  /** Runs the policy's answer (or records why it is malformed) and decides whether the episode goes on. */
  async act(response: string): Promise<void> {
    const step = await runAgentStep(this.o.ctx, { response });
    if (!step.ok) {
      this.formatErrors++;
      this.errorsInRow++;
      this.steps.push({ thought: '', action: { raw: response }, observation: step.observation });
      if (this.errorsInRow >= this.o.settings.maxFormatErrors) this.exit = 'format_errors';
    } else {
      this.errorsInRow = 0;
      this.steps.push({ thought: step.thinking.trim(), action: { raw: step.actionText, call: step.call }, observation: step.result.output });
      if (step.result.submission !== undefined) {
        this.submission = step.result.submission;
        this.exit = 'submitted';
      }
    }
    if (!this.exit && this.steps.length >= this.o.settings.maxSteps) this.exit = 'max_steps';
  }
}
