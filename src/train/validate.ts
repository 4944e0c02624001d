// Validation: sample held-out prompts, score them with the run's reward, report mean reward and format-error rate.
import type { Policy } from '../policy/types.ts';
import type { SrlExample } from './examples.ts';
import { scoreAll, tallyDetails, type RewardFn } from './rewards.ts';
import { sampleResponses, type SampleSettings } from './sample.ts';

export interface ValidationResult {
  reward: number;
  formatErrorRate: number;
  samples: number;
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
  const count = scored.length;
  const total = scored.reduce((t, s) => t + s.reward, 0);
  const errors = scored.filter((s) => s.status !== 'ok').length;
  return { reward: count ? total / count : 0, formatErrorRate: count ? errors / count : 0, samples: count, details: tallyDetails(scored) };
}
