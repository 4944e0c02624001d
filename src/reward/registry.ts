// The reward registry: `srl` is the dense similarity reward (SRL); `exact` the sparse RLVR-like check on the same
// parse; `outcome` applies the response's edits in the task's sandbox and runs its tests (RLVR on oracle examples).
// train, evaluate, oracle and serve all build rewards here, and configs are checked against these names.
import { FORMAT_ERROR_REWARD, scoreResponse } from '../srl/reward.ts';
import { SweSrlError } from '../util/errors.ts';
import type { RewardFactory, RewardFn, RewardKind, RewardOptions } from './types.ts';

interface Entry {
  factory: RewardFactory;
  kind: RewardKind;
}

const registry = new Map<string, Entry>([
  ['srl', { kind: 'text', factory: (o) => (response, ex) => scoreResponse(response, ex.target, { autojunk: o.autojunk }) }],
  [
    'exact',
    {
      kind: 'text',
      factory: () => (response, ex) => {
        const s = scoreResponse(response, ex.target);
        if (s.status !== 'ok') return { reward: FORMAT_ERROR_REWARD, status: s.status };
        return { reward: s.action === ex.target.trim() ? 1 : 0, status: 'ok' };
      },
    },
  ],
  // Loaded on use: it brings the sandbox and the harness.
  ['outcome', { kind: 'sandbox', factory: async (o) => (await import('../oracle/outcome-reward.ts')).createOutcomeRewardFromConfig(o) }],
]);

/** Adds a reward under a new name (`text` unless it needs the task's sandbox). */
export function registerReward(name: string, factory: RewardFactory, kind: RewardKind = 'text'): void {
  if (registry.has(name))
    throw new SweSrlError({ code: 'reward_exists', message: `a reward named ${name} is registered`, fault: 'internal' });
  registry.set(name, { factory, kind });
}

/** Names of the registered rewards, of one kind when given. */
export function rewardNames(kind?: RewardKind): string[] {
  return [...registry].filter(([, e]) => kind === undefined || e.kind === kind).map(([n]) => n);
}

/** Builds the reward registered as name; an unknown name (or one of another kind) fails listing the valid ones. */
export async function createReward(name: string, opts: RewardOptions, o: { kind?: RewardKind; field?: string } = {}): Promise<RewardFn> {
  const entry = registry.get(name);
  if (!entry || (o.kind !== undefined && entry.kind !== o.kind))
    throw new SweSrlError({
      code: 'unknown_reward',
      message: `no ${o.kind === undefined ? '' : `${o.kind} `}reward named ${JSON.stringify(name)}`,
      fault: 'user',
      field: o.field ?? 'reward.name',
      value: name,
      hint: `Valid: ${rewardNames(o.kind).join(', ')}.`,
    });
  return entry.factory(opts);
}
