import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  checkPredictionsAgainstTasks,
  loadPredictions,
  modelDirName,
  parsePredictions,
  patchHash,
  pseudoPredictions,
  resolvePredictions,
} from '../../src/harness/predictions.ts';
import { loadTasks } from '../../src/tasks/load.ts';
import { describeShared, missingShared, sharedPath } from '../helpers/shared.ts';
import { tempDir } from '../helpers/tmp.ts';

const LITE_DEV = 'data/swe-bench-lite-dev.json';
const SWE_AGENT_RUNS = 'data/trajectories/swe-agent';
const liteDev = sharedPath(LITE_DEV);
const p = (id: string, patch: string | null = 'diff', model = 'm') => ({ instance_id: id, model_patch: patch, model_name_or_path: model });

describe('parsePredictions', () => {
  it('reads a list, a dict keyed by id and JSONL', () => {
    expect(parsePredictions(JSON.stringify([p('a'), p('b', null)]), 'x.json').map((x) => x.model_patch)).toEqual(['diff', null]);
    const dict = parsePredictions(JSON.stringify({ a: p('a'), b: { model_patch: '', model_name_or_path: 'm' } }), 'x.json');
    expect(dict.map((x) => x.instance_id)).toEqual(['a', 'b']);
    expect(parsePredictions(`${JSON.stringify(p('a'))}\n\n${JSON.stringify(p('b'))}\n`, 'x.jsonl')).toHaveLength(2);
    expect(parsePredictions(`${JSON.stringify(p('a'))}\n${JSON.stringify(p('b'))}\n`, 'x.json')).toHaveLength(2);
  });

  it('defaults model_name_or_path and keeps extra fields', () => {
    const [x] = parsePredictions(JSON.stringify([{ instance_id: 'a', model_patch: 'd', cost: 1.5 }]), 'x.json');
    expect(x).toMatchObject({ model_name_or_path: 'None', cost: 1.5 });
  });

  it('names the file, prediction and field of every problem', () => {
    const bad = JSON.stringify([p('a'), { instance_id: 'b' }, { model_patch: 3 }]);
    expect(() => parsePredictions(bad, 'preds.json')).toThrow(
      /preds\.json prediction 1: model_patch: Required[\s\S]*preds\.json prediction 2: instance_id: Required[\s\S]*prediction 2: model_patch: Expected string, received number/,
    );
    expect(() => parsePredictions(JSON.stringify({ a: p('b') }), 'x.json')).toThrow(/instance_id "b" differs from its key/);
    expect(() => parsePredictions(JSON.stringify([p('a'), p('a')]), 'x.json')).toThrow(/duplicated instance ids: a/);
    expect(() => parsePredictions('{oops', 'x.json')).toThrow(/not valid JSON/);
    expect(() => parsePredictions('{}\n{oops', 'x.jsonl')).toThrow(/line 2 is not valid JSON/);
    expect(() => parsePredictions('3', 'x.json')).toThrow(/list of predictions/);
  });

  it.skipIf(missingShared('real SWE-agent predictions', SWE_AGENT_RUNS))('reads the real SWE-agent predictions file in the shared data', async () => {
    const dir = sharedPath(SWE_AGENT_RUNS);
    const { readdirSync, statSync } = await import('node:fs');
    const found: string[] = [];
    const walk = (d: string) => {
      for (const f of readdirSync(d)) {
        const full = path.join(d, f);
        if (statSync(full).isDirectory()) walk(full);
        else if (/pred/i.test(f) && /\.jsonl?$/.test(f)) found.push(full);
      }
    };
    walk(dir);
    expect(found.length).toBeGreaterThan(0);
    for (const f of found) {
      const preds = await loadPredictions(f);
      expect(preds.length).toBeGreaterThan(0);
      expect(typeof preds[0]!.instance_id).toBe('string');
      expect(readFileSync(f, 'utf8')).toContain(preds[0]!.instance_id);
    }
  });
});

describeShared('pseudo-predictions for the real Lite dev rows', LITE_DEV, () => {
  it('gold uses the task patch, empty an empty one', async () => {
    const tasks = await loadTasks(liteDev);
    const gold = await resolvePredictions('gold', tasks);
    expect(gold).toHaveLength(23);
    expect(gold[0]).toEqual({ instance_id: tasks[0]!.instance_id, model_patch: tasks[0]!.patch, model_name_or_path: 'gold' });
    expect(pseudoPredictions('empty', tasks).every((x) => x.model_patch === '' && x.model_name_or_path === 'empty')).toBe(true);
  });

  it('loads a file source and rejects predictions for unknown instances', async () => {
    const tasks = await loadTasks(liteDev);
    const dir = await tempDir('preds');
    const f = path.join(dir, 'p.jsonl');
    await writeFile(f, JSON.stringify(p(tasks[0]!.instance_id)));
    const preds = await resolvePredictions(f, tasks);
    expect(() => checkPredictionsAgainstTasks(preds, tasks)).not.toThrow();
    expect(() => checkPredictionsAgainstTasks([p('nope__nope-1')], tasks, f)).toThrow(/not in the task set: nope__nope-1/);
    await expect(loadPredictions(path.join(dir, 'missing.json'))).rejects.toThrow(/cannot read predictions file/);
  });
});

describe('patchHash', () => {
  it('is the sha256 of the UTF-8 bytes, stable and content-sensitive', () => {
    expect(patchHash('diff --git a/x b/x\n')).toBe(createHash('sha256').update(Buffer.from('diff --git a/x b/x\n', 'utf8')).digest('hex'));
    expect(patchHash('é')).toBe(patchHash('é'));
    expect(patchHash('a')).not.toBe(patchHash('b'));
    expect(patchHash(null)).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('names model folders as SWE-bench does', () => {
    expect(modelDirName('org/model-7b')).toBe('org__model-7b');
  });
});
