// Validation: sample held-out prompts, score them with the run's reward, report mean reward and format-error rate.
import type { Policy } from '../policy/types.ts';
import type { SrlExample } from './examples.ts';
import type { RewardFn } from './rewards.ts';

export interface ValidationResult {
  reward: number;
  formatErrorRate: number;
  samples: number;
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
  const chunk = o.chunk ?? 64;
  for (let i = 0; i < o.examples.length; i += chunk) {
    const part = o.examples.slice(i, i + chunk);
    const r = await o.policy.sample(
      part.map((e) => e.prompt),
      { n: o.n, maxNewTokens: o.maxNewTokens, temperature: o.temperature, topP: o.topP, stop: o.stop, seed: o.seed + i },
    );
    for (let j = 0; j < part.length; j++) {
      for (const c of r.completions[j] ?? []) {
        const s = await o.reward(c.text, part[j]!);
        total += s.reward;
        if (s.status !== 'ok') errors++;
        count++;
      }
    }
  }
  return { reward: count ? total / count : 0, formatErrorRate: count ? errors / count : 0, samples: count };
}
