import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gradeCompletionsFile, summarizeGrades } from '../../src/oracle/grade-file.ts';
import type { SrlExample } from '../../src/train/examples.ts';
import type { RewardFn } from '../../src/reward/types.ts';
import { tempDir } from '../helpers/tmp.ts';

const ex = (id: string): SrlExample => ({ id: `${id}/oracle`, instance_id: id, step: 0, prompt: [{ role: 'user', content: id }], target: 't' });
const examples = [ex('a'), ex('b')];
// Resolved when the response says so; counts its calls.
function fakeReward() {
  const seen: string[] = [];
  const reward: RewardFn = (response) => {
    seen.push(response);
    if (response === 'bad') return { reward: -1, status: 'missing_think' };
    return { reward: response === 'fix' ? 1 : 0, status: 'ok', detail: response === 'fix' ? 'resolved' : 'unresolved' };
  };
  return { reward, seen };
}

describe('gradeCompletionsFile', () => {
  it('grades each response once across runs and regrades a changed response', async () => {
    const outDir = await tempDir('grade');
    const completions = [
      { id: 'a/oracle', response: 'fix', line: 1 },
      { id: 'a/oracle', response: 'nope', line: 2 },
      { id: 'b/oracle', response: 'bad', line: 3 },
    ];
    const first = fakeReward();
    const r1 = await gradeCompletionsFile({ examples, completions, completionsFile: 'c.jsonl', reward: first.reward, outDir, workers: 2 });
    expect(first.seen.sort()).toEqual(['bad', 'fix', 'nope']);
    expect(r1.summary).toMatchObject({ responses: 3, instances: 2, resolved: 1, instances_resolved: 1, format_errors: 1 });
    expect(r1.summary.by_outcome).toEqual({ resolved: 1, unresolved: 1, missing_think: 1 });
    expect(JSON.parse(await readFile(join(outDir, 'summary.json'), 'utf8'))).toEqual(r1.summary);
    // A killed run leaves a cut last line; it is ignored and that response graded again.
    await writeFile(join(outDir, 'rows.jsonl'), `${(await readFile(join(outDir, 'rows.jsonl'), 'utf8'))}{"version":1,"id":"b/or`);
    const second = fakeReward();
    const changed = [...completions.slice(0, 2), { id: 'b/oracle', response: 'fix', line: 3 }];
    const r2 = await gradeCompletionsFile({ examples, completions: changed, completionsFile: 'c.jsonl', reward: second.reward, outDir, workers: 2 });
    expect(second.seen).toEqual(['fix']);
    expect(r2.summary).toMatchObject({ resolved: 2, instances_resolved: 2, instance_resolve_rate: 1, format_errors: 0 });
  });

  it('names the file, line and id of a response to an unknown example', async () => {
    const outDir = await tempDir('grade');
    await expect(
      gradeCompletionsFile({ examples, completions: [{ id: 'zz', response: 'x', line: 7 }], completionsFile: 'c.jsonl', reward: fakeReward().reward, outDir, workers: 1 }),
    ).rejects.toMatchObject({ code: 'unknown_example', file: 'c.jsonl', field: 'id', value: 'zz' });
  });

  it('summarizes an empty set without dividing by zero', () => {
    expect(summarizeGrades([])).toMatchObject({ responses: 0, resolve_rate: 0, instance_resolve_rate: 0 });
  });
});
