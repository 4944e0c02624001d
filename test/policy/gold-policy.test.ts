// The gold policy answers each evaluation prompt of the bundled tasks with the reference answer: the answers parse in
// their formats and the edits apply to the base files.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { localize } from '../../src/evaluate/agentless/localize.ts';
import { localizePrompt, repairPrompt } from '../../src/evaluate/agentless/prompts.ts';
import { applySearchReplace, parseSolutionResponse } from '../../src/evaluate/agentless/search-replace.ts';
import { oraclePrompt } from '../../src/oracle/prompt.ts';
import { parseEditsResponse } from '../../src/oracle/response.ts';
import { createPolicy } from '../../src/policy/create.ts';
import { GoldPolicy } from '../../src/policy/gold-policy.ts';
import { PolicySchema } from '../../src/config/policy.ts';
import { renderUserMessage, defaultSystemPrompt } from '../../src/srl/prompt.ts';
import { listRepoFiles, loadBundledTasks, type BundledTask } from '../../src/tasks/bundled.ts';
import { filesTouchedByPatch } from '../../src/util/patch-paths.ts';

let tasks: BundledTask[];
let gold: GoldPolicy;
beforeAll(async () => {
  tasks = await loadBundledTasks();
  gold = new GoldPolicy(tasks);
});

async function baseFiles(t: BundledTask): Promise<{ paths: string[]; contents: Map<string, string> }> {
  const repo = join(t.source_dir, 'repo');
  const paths = await listRepoFiles(repo);
  const contents = new Map<string, string>();
  for (const p of filesTouchedByPatch(t.patch)) if (paths.includes(p)) contents.set(p, await readFile(join(repo, p), 'utf8'));
  return { paths, contents };
}

describe('GoldPolicy', () => {
  it('localizes to the gold files and repairs with SEARCH/REPLACE edits that apply', async () => {
    for (const t of tasks) {
      const { paths, contents } = await baseFiles(t);
      const loc = gold.answer(localizePrompt({ issue: t.problem_statement, files: paths }));
      expect(localize({ reply: loc, issue: t.problem_statement, repoFiles: paths, maxFiles: 5 })).toMatchObject({
        source: 'policy',
        files: filesTouchedByPatch(t.patch).filter((p) => paths.includes(p)),
      });
      const files = [...contents].map(([path, content]) => ({ path, content }));
      const reply = gold.answer(repairPrompt({ issue: t.problem_statement, files }));
      const parsed = parseSolutionResponse(reply);
      expect(parsed.ok, t.instance_id).toBe(true);
      if (!parsed.ok) continue;
      const applied = applySearchReplace(contents, parsed.edits);
      expect(applied.failures, t.instance_id).toEqual([]);
      // The oracle's search-replace format gets the same answer.
      expect(gold.answer(oraclePrompt({ issue: t.problem_statement, files, opts: { format: 'search-replace' } }))).toBe(reply);
    }
  });

  it('answers oracle prompts in the editor format and agent steps with the expert', async () => {
    const t = tasks[0]!;
    const editor = gold.answer(oraclePrompt({ issue: t.problem_statement, files: [] }));
    expect(parseEditsResponse(editor).ok).toBe(true);
    const step = gold.answer([
      { role: 'system', content: defaultSystemPrompt() },
      { role: 'user', content: renderUserMessage({ issue: t.problem_statement, issueCut: 0, repo: t.repo, step: 1, context: [], omitted: 0, omittedForBudget: 0 }) },
    ]);
    expect(step).toMatch(/^<think>[\s\S]*<\/think>\n<function=bash>/);
  });

  it('fails on prompts of unknown tasks or kinds, and is built by the registry from policy.tasks', async () => {
    expect(() => gold.answer([{ role: 'user', content: 'no issue here' }])).toThrow(/none of the gold policy's/);
    expect(() => gold.answer([{ role: 'user', content: tasks[0]!.problem_statement }])).toThrow(/does not know this kind/);
    await expect(createPolicy({ policy: PolicySchema.parse({ backend: 'gold' }) })).rejects.toThrow(/policy.tasks/);
    const p = await createPolicy({ policy: PolicySchema.parse({ backend: 'gold', tasks: 'bundled' }) });
    expect(p.info).toMatchObject({ backend: 'gold', tasks: tasks.length });
    const r = await p.sample([localizePrompt({ issue: tasks[1]!.problem_statement, files: [] })], { n: 2, maxNewTokens: 8, temperature: 0, topP: 1, stop: [], seed: 0 });
    expect(r.completions[0]).toHaveLength(2);
  });
});
