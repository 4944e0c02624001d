// Validation: sample held-out prompts, score them with the run's reward, report mean reward and format-error rate.
import type { Policy } from '../policy/types.ts';
import type { SrlExample } from './examples.ts';
import { scoreAll, type RewardFn } from './rewards.ts';

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
  n: number;
  temperature: number;
  topP: number;
  maxNewTokens: number;
  stop: string[];
  seed: number;
  /** Prompts per generate request, to bound memory. */
  chunk?: number;
}): Promise<ValidationResult> {
  let total = 0;
  let errors = 0;
  let count = 0;
  const details: Record<string, number> = {};
  const chunk = o.chunk ?? 64;
  for (let i = 0; i < o.examples.length; i += chunk) {
    const part = o.examples.slice(i, i + chunk);
    const r = await o.policy.sample(
      part.map((e) => e.prompt),
      { n: o.n, maxNewTokens: o.maxNewTokens, temperature: o.temperature, topP: o.topP, stop: o.stop, seed: o.seed + i },
    );
    const scored = await scoreAll(
      o.reward,
      part.flatMap((example, j) => (r.completions[j] ?? []).map((c) => ({ response: c.text, example }))),
    );
    for (const s of scored) {
      total += s.reward;
      if (s.status !== 'ok') errors++;
      else if (s.detail) details[s.detail] = (details[s.detail] ?? 0) + 1;
      count++;
    }
  }
  return { reward: count ? total / count : 0, formatErrorRate: count ? errors / count : 0, samples: count, details };
}
