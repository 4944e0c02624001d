// The gold policy (policy.backend=gold): it answers each evaluation prompt with the task's reference answer, so that
// a run of the whole pipeline (prompting, parsing, applying, grading) on tasks whose gold patches resolve must
// resolve them all. It reads the task from the issue the prompt shows and the kind of prompt from its system
// message (or the agent's "Give step N"): agentless localization -> the files of the gold patch; agentless repair
// and the oracle's search-replace format -> the gold patch as SEARCH/REPLACE blocks; the oracle's editor format ->
// the gold patch as editor calls; an agent step -> the scripted expert's call of that step.
import { agentlessStage } from '../evaluate/agentless/prompts.ts';
import { patchEditToSearchReplace, renderSolution, type SearchReplaceEdit } from '../evaluate/agentless/search-replace.ts';
import type { EvalTask } from '../harness/image-provider.ts';
import { oracleTarget } from '../oracle/build.ts';
import { patchToEdits } from '../oracle/patch-edits.ts';
import { oracleSystemPrompt } from '../oracle/prompt.ts';
import { renderCall } from '../srl/action-xml.ts';
import { loadTaskSet } from '../tasks/task-set.ts';
import { EXPERT_TEST_COMMAND } from '../testing/record-expert.ts';
import { expertCalls } from '../testing/scripted-expert.ts';
import { filesTouchedByPatch } from '../util/patch-paths.ts';
import { SweSrlError } from '../util/errors.ts';
import type { PolicyConfig } from '../config/policy.ts';
import type { ChatMessage, Completion, Policy, PolicyInfo, SampleOptions, SampleResult } from './types.ts';

/** Characters of the issue's start that identify a task in a prompt. */
const ISSUE_KEY_CHARS = 200;

export class GoldPolicy implements Policy {
  readonly info: PolicyInfo;

  constructor(private readonly tasks: readonly EvalTask[]) {
    this.info = { backend: 'gold', parameters: null, vocab: null, max_seq_len: null, device: 'reference answers', tasks: tasks.length };
  }

  /** The gold policy of policy.tasks. */
  static async create(p: PolicyConfig): Promise<GoldPolicy> {
    if (!p.tasks)
      throw new SweSrlError({
        code: 'bad_config',
        message: 'policy.backend=gold needs the tasks whose reference answers it gives',
        fault: 'user',
        field: 'policy.tasks',
        hint: 'Set policy.tasks=bundled (or a folder / rows file); swe-srl evaluate sets it from --tasks.',
      });
    return new GoldPolicy(await loadTaskSet(p.tasks));
  }

  /** n copies of the reference answer per prompt; a prompt of no known task or kind fails the call. */
  async sample(prompts: ChatMessage[][], o: SampleOptions): Promise<SampleResult> {
    const completions = prompts.map((p): Completion[] => {
      const text = this.answer(p);
      return Array.from({ length: o.n }, () => ({ text, token_ids: [], logprobs: [], finish_reason: 'stop' as const }));
    });
    return { promptIds: prompts.map(() => []), completions, tokens: 0, seconds: 0 };
  }

  async close(): Promise<void> {}

  /** The reference answer to one prompt. */
  answer(prompt: readonly ChatMessage[]): string {
    const task = this.taskOf(prompt);
    const system = prompt.find((m) => m.role === 'system')?.content;
    const stage = agentlessStage(prompt);
    if (stage === 'localize') return ['```', ...filesTouchedByPatch(task.patch), '```'].join('\n');
    if (stage === 'repair' || system === oracleSystemPrompt('search-replace')) return renderSolution(THOUGHT, goldBlocks(task));
    if (system === oracleSystemPrompt('editor')) return `<think>\n${THOUGHT}\n</think>\n${oracleTarget(patchToEdits(task.patch), 'editor')}`;
    const step = /Give step (\d+):/.exec(prompt.at(-1)?.content ?? '');
    if (step) {
      const calls = expertCalls({ patch: task.patch, root: '/testbed', testCommand: EXPERT_TEST_COMMAND });
      const c = calls[Number(step[1]) - 1] ?? calls.at(-1)!;
      return `<think>${c.thought}</think>\n${renderCall(c.call)}`;
    }
    throw new SweSrlError({
      code: 'gold_unknown_prompt',
      message: `the gold policy does not know this kind of prompt (task ${task.instance_id})`,
      fault: 'user',
      hint: 'It answers the prompts of swe-srl evaluate (oracle, agentless, agent) only.',
    });
  }

  // The task whose issue the prompt shows (the longest issue start found, so that a task's issue that begins
  // another's does not shadow it).
  private taskOf(prompt: readonly ChatMessage[]): EvalTask {
    const text = prompt.filter((m) => m.role === 'user').map((m) => m.content).join('\n');
    let best: EvalTask | undefined;
    let bestLen = 0;
    for (const t of this.tasks) {
      const key = t.problem_statement.trim().slice(0, ISSUE_KEY_CHARS);
      if (key && key.length > bestLen && text.includes(key)) [best, bestLen] = [t, key.length];
    }
    if (!best)
      throw new SweSrlError({
        code: 'gold_unknown_task',
        message: `the prompt shows the issue of none of the gold policy's ${this.tasks.length} tasks`,
        fault: 'user',
        field: 'policy.tasks',
        hint: 'policy.tasks must hold the tasks being evaluated.',
      });
    return best;
  }
}

const THOUGHT = 'The reference change.';

/** A task's gold patch as SEARCH/REPLACE edits (inserts without context left out: the bundled patches have none). */
export function goldBlocks(task: Pick<EvalTask, 'patch'>): SearchReplaceEdit[] {
  return patchToEdits(task.patch).flatMap((e) => patchEditToSearchReplace(e) ?? []);
}
