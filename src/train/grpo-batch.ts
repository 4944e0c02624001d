// One GRPO batch: draw prompts in data order, sample n completions each, score them, keep the groups with a signal
// (dynamic sampling) until the batch is full or the try cap is hit, then turn kept groups into train samples.
import type { TrainConfig } from '../config/train.ts';
import type { Completion, TrainablePolicy, TrainSample } from '../policy/types.ts';
import { computeGroupAdvantages, meanStd } from './advantages.ts';
import { indicesAt, mix } from './data-order.ts';
import { addTry, emptyFill, keptFraction, nextRequest, type ScoredGroup } from './dynamic-sampling.ts';
import type { SrlExample } from './examples.ts';
import { isScored, type RewardFn, type RewardResult } from '../reward/types.ts';
import { scoreAll, summarizeScores, tallyDetails } from '../reward/score.ts';

export interface GroupItem {
  example: SrlExample;
  promptIds: number[];
  completions: Completion[];
  statuses: string[];
}

export interface BatchStats {
  rewardMean: number;
  rewardStd: number;
  formatErrorRate: number;
  /** Samples whose reward could not be computed (infrastructure faults): left out of groups and of the stats above. */
  infraErrors: number;
  keptFraction: number;
  groupsGenerated: number;
  groupsKept: number;
  tries: number;
  genTokens: number;
  genSeconds: number;
  /** Responses per reward detail (outcome: resolved, unresolved, edit_failed, ...; format_error), when the reward gives them. */
  details: Record<string, number>;
}

/** Samples and filters groups for one step; returns the kept groups, the new data cursor and the stats. */
export async function collectBatch(o: {
  policy: TrainablePolicy;
  examples: SrlExample[];
  reward: RewardFn;
  config: TrainConfig;
  step: number;
  cursor: number;
}): Promise<{ kept: ScoredGroup<GroupItem>[]; cursor: number; stats: BatchStats }> {
  const c = o.config;
  const ds = { batchSize: c.train.batch_size, enabled: c.dynamic_sampling.enabled, epsilon: c.dynamic_sampling.epsilon };
  const maxTries = c.dynamic_sampling.enabled ? c.dynamic_sampling.max_tries : 1;
  let fill = emptyFill<GroupItem>();
  let cursor = o.cursor;
  // Every score of the step, all tries: the step's reward stats come from it.
  const all: RewardResult[] = [];
  let genTokens = 0;
  let genSeconds = 0;
  for (;;) {
    const want = nextRequest(fill, { batchSize: c.train.batch_size, maxTries, oversample: c.dynamic_sampling.oversample });
    if (want === 0) break;
    const idx = indicesAt({ n: o.examples.length, seed: c.seed, from: cursor, count: want });
    cursor += want;
    const exs = idx.map((i) => o.examples[i]!);
    const r = await o.policy.sample(
      exs.map((e) => e.prompt),
      {
        n: c.rollout.n,
        maxNewTokens: c.rollout.max_new_tokens,
        temperature: c.rollout.temperature,
        topP: c.rollout.top_p,
        stop: c.rollout.stop,
        seed: mix(c.seed, o.step, fill.tries),
      },
    );
    genTokens += r.tokens;
    genSeconds += r.seconds;
    const scored = await scoreAll(
      o.reward,
      exs.flatMap((example, j) => (r.completions[j] ?? []).map((comp) => ({ response: comp.text, example }))),
    );
    const groups: ScoredGroup<GroupItem>[] = [];
    let at = 0;
    for (let j = 0; j < exs.length; j++) {
      const comps = r.completions[j] ?? [];
      const mine = scored.slice(at, at + comps.length);
      at += comps.length;
      // A sample whose reward could not be computed leaves its group: it is no part of the baseline and not trained on.
      const keep = mine.flatMap((s, k) => (isScored(s) ? [k] : []));
      groups.push({
        rewards: keep.map((k) => mine[k]!.reward!),
        item: { example: exs[j]!, promptIds: r.promptIds[j] ?? [], completions: keep.map((k) => comps[k]!), statuses: keep.map((k) => mine[k]!.status) },
      });
    }
    all.push(...scored);
    fill = addTry(fill, groups, ds);
  }
  const summary = summarizeScores(all);
  const { mean, std } = meanStd(summary.scored.map((s) => s.reward));
  return {
    kept: fill.kept,
    cursor,
    stats: {
      rewardMean: mean,
      rewardStd: std,
      formatErrorRate: summary.formatErrorRate,
      infraErrors: summary.infraErrors,
      keptFraction: keptFraction(fill),
      groupsGenerated: fill.generated,
      groupsKept: fill.kept.length,
      tries: fill.tries,
      genTokens,
      genSeconds,
      details: tallyDetails(all),
    },
  };
}

/** Train samples of the kept groups with their group advantages (empty completions are skipped: nothing to learn). */
export function toTrainSamples(kept: ScoredGroup<GroupItem>[], config: TrainConfig): TrainSample[] {
  const adv = computeGroupAdvantages(
    kept.map((g) => g.rewards),
    { estimator: config.advantage.estimator, scaleByStd: config.advantage.scale_by_std, eps: config.advantage.eps },
  );
  const out: TrainSample[] = [];
  kept.forEach((g, gi) => {
    g.item.completions.forEach((comp, si) => {
      if (comp.token_ids.length === 0) return;
      out.push({
        prompt_ids: g.item.promptIds,
        completion_ids: comp.token_ids,
        advantage: adv[gi]![si]!,
        old_logprobs: comp.logprobs,
      });
    });
  });
  return out;
}
