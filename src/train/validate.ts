// Validation: sample held-out prompts, score them with the run's reward, report mean reward and format-error rate.
import type { Policy } from '../policy/types.ts';
import type { SrlExample } from './examples.ts';
import { type RewardFn } from '../reward/types.ts';
import { scoreAll, summarizeScores, tallyDetails } from '../reward/score.ts';
import { sampleResponses, type SampleSettings } from './sample.ts';

export interface ValidationResult {
  reward: number;
  formatErrorRate: number;
  /** Samples scored (those whose reward could not be computed are left out and counted in infraErrors). */
  samples: number;
  infraErrors: number;
  /** The sampled responses, in example order (n per example): kept by training for the report's reasoning analysis. */
  responses: Array<{ id: string; response: string }>;
  /** Responses per reward label (outcome: resolved, unresolved, ..., format_error), when the reward gives them. */
  details: Record<string, number>;
}

/** Mean reward and share of format errors over n samples of each example. */
export async function validate(o: {
  policy: Policy;
  examples: SrlExample[];
  reward: RewardFn;
  settings: SampleSettings;
  /** Prompts per generate request, to bound memory. */
  chunk?: number;
}): Promise<ValidationResult> {
  const byId = new Map(o.examples.map((e) => [e.id, e]));
  const rows = await sampleResponses({ policy: o.policy, examples: o.examples, settings: o.settings, chunk: o.chunk ?? 64 });
  const scored = await scoreAll(o.reward, rows.map((r) => ({ response: r.response, example: byId.get(r.id)! })));
  const summary = summarizeScores(scored);
  const count = summary.scored.length;
  const total = summary.scored.reduce((t, s) => t + s.reward, 0);
  return {
    reward: count ? total / count : 0,
    formatErrorRate: summary.formatErrorRate,
    samples: count,
    infraErrors: summary.infraErrors,
    details: tallyDetails(scored),
    responses: rows.map((r) => ({ id: r.id, response: r.response })),
  };
}
