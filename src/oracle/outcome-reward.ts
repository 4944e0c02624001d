// The outcome reward (RLVR): 1 when the response's edits resolve the task (its tests pass in the sandbox), 0 when
// they do not (or an edit is refused, or nothing changes), FORMAT_ERROR_REWARD when the response is malformed.
import type { RewardConfig } from '../config/reward.ts';
import { createDockerSandboxProvider } from '../harness/sandbox-provider.ts';
import { FORMAT_ERROR_REWARD } from '../srl/reward.ts';
import { loadTaskSet } from '../tasks/task-set.ts';
import type { RewardFn } from '../reward/types.ts';
import { SweSrlError } from '../util/errors.ts';
import { OutcomeGrader } from './outcome.ts';
import { parseEditsResponse } from './response.ts';
import { parseSolutionResponse } from '../evaluate/agentless/search-replace.ts';
import type { OracleFormat } from './prompt.ts';

/** The reward over a grader: parse the edits (in the given format), grade them, 1 / 0 / FORMAT_ERROR_REWARD. */
export function createOutcomeReward(grader: OutcomeGrader, opts: { maxEdits?: number; format?: OracleFormat } = {}): RewardFn {
  if (opts.format === 'search-replace')
    return async (response, example) => {
      const parsed = parseSolutionResponse(response, { maxEdits: opts.maxEdits });
      if (!parsed.ok) return { reward: FORMAT_ERROR_REWARD, status: parsed.reason, detail: 'format_error' };
      const v = await grader.gradeSearchReplace(example.instance_id, parsed.edits);
      return { reward: v.resolved ? 1 : 0, status: 'ok', detail: v.status };
    };
  return async (response, example) => {
    const parsed = parseEditsResponse(response, { maxEdits: opts.maxEdits });
    if (!parsed.ok) return { reward: FORMAT_ERROR_REWARD, status: parsed.reason, detail: 'format_error' };
    const v = await grader.grade(example.instance_id, parsed.calls);
    return { reward: v.resolved ? 1 : 0, status: 'ok', detail: v.status };
  };
}

/** The outcome reward a train config describes (reward.outcome): its tasks, images and sandbox limits. */
export async function createOutcomeRewardFromConfig(o: Partial<RewardConfig>): Promise<RewardFn> {
  const c = o.outcome;
  if (!c?.tasks)
    throw new SweSrlError({
      code: 'outcome_no_tasks',
      message: 'the outcome reward needs the task set it grades in',
      fault: 'user',
      field: 'reward.outcome.tasks',
      hint: 'Set reward.outcome.tasks: bundled, a folder of task folders, or a JSON / JSONL / Parquet file of rows.',
    });
  const grader = new OutcomeGrader({
    sandboxes: await createDockerSandboxProvider({
      imageSource: c.image_source,
      envsDir: c.envs,
      gitRemote: c.git_remote,
      limits: { memoryBytes: c.memory_gb * 1024 ** 3, cpus: c.cpus },
    }),
    tasks: await loadTaskSet(c.tasks),
    workers: c.workers,
    timeoutS: c.timeout_s,
  });
  return createOutcomeReward(grader, { maxEdits: c.max_edits, format: c.format });
}
