// Validation: sample held-out prompts, score them with the run's reward, report mean reward and format-error rate.
import type { Policy } from '../policy/types.ts';
import type { SrlExample } from './examples.ts';
import { scoreAll, type RewardFn } from './rewards.ts';
import { sampleResponses, type SampleSettings } from './sample.ts';

export interface ValidationResult {
  reward: number;
  formatErrorRate: number;
  samples: number;
  /** Well-formed responses per reward detail (outcome: resolved, unresolved, ...), when the reward gives them. */
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
  const details: Record<string, number> = {};
  let total = 0;
  let errors = 0;
  for (const s of scored) {
    total += s.reward;
    if (s.status !== 'ok') errors++;
    else if (s.detail) details[s.detail] = (details[s.detail] ?? 0) + 1;
  }
  const count = scored.length;
  return { reward: count ? total / count : 0, formatErrorRate: count ? errors / count : 0, samples: count, details };
}
