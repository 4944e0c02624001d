import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parquetMetadata, parquetReadObjects, parquetSchema } from 'hyparquet';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildDataset, type DatasetExample } from '../../src/srl/dataset.ts';
import { STEPS_VERSION, toTrlLine, verlParquet, writeStepsJsonl, writeTrlJsonl, writeVerlParquet } from '../../src/srl/writers.ts';
import { loadTrajectories } from '../../src/trajectories/load.ts';
import { missingShared } from '../helpers/shared.ts';
import { tempDir } from '../helpers/tmp.ts';
import { TRAJ_DIR, TRAJ_REL } from '../trajectories/helpers.ts';

const noTrajectories = missingShared('SRL writers on examples from the real trajectories', TRAJ_REL);
let examples: DatasetExample[];
beforeAll(async () => {
  if (noTrajectories) return;
  const { trajectories } = await loadTrajectories([TRAJ_DIR]);
  examples = buildDataset({
    trajectories,
    options: { contextSteps: 2, maxObservationChars: 2000, dropSubmit: false, dropUnresolved: false },
  }).examples;
});

const buffer = (u: Uint8Array): ArrayBuffer => u.buffer.slice(u.byteOffset, u.byteOffset + u.byteLength) as ArrayBuffer;

describe('verl Parquet', () => {
  it.skipIf(noTrajectories)('has prompt as list<struct<role, content>> and reward_model / extra_info as structs', () => {
    const bytes = verlParquet(examples.slice(0, 5));
    const tree = parquetSchema(parquetMetadata(buffer(bytes)));
    const child = (name: string) => tree.children.find((c) => c.element.name === name)!;
    expect(tree.children.map((c) => c.element.name)).toEqual(['data_source', 'prompt', 'ability', 'reward_model', 'extra_info']);
    const prompt = child('prompt');
    expect(prompt.element.converted_type).toBe('LIST');
    expect(prompt.children[0]!.element.repetition_type).toBe('REPEATED');
    expect(prompt.children[0]!.children[0]!.children.map((c) => c.element.name)).toEqual(['role', 'content']);
    expect(child('reward_model').children.map((c) => c.element.name)).toEqual(['style', 'ground_truth']);
    expect(child('extra_info').children.map((c) => c.element.name)).toContain('instance_id');
  });
  it.skipIf(noTrajectories)('reads back every row as written', async () => {
    const rows = (await parquetReadObjects({ file: buffer(verlParquet(examples)) })) as Array<Record<string, any>>;
    expect(rows).toHaveLength(examples.length);
    rows.forEach((r, i) => {
      const e = examples[i]!;
      expect(r.data_source).toBe(`swe-srl/${e.format}`);
      expect(r.prompt).toEqual(e.prompt);
      expect(r.reward_model).toEqual({ style: 'rule', ground_truth: e.target });
      expect(r.extra_info.id).toBe(e.id);
      expect(Number(r.extra_info.step)).toBe(e.step);
      expect(Number(r.extra_info.index)).toBe(i);
      expect(r.extra_info.repo).toBe(e.repo);
    });
  });
  it('writes an empty table with the same columns', async () => {
    const bytes = verlParquet([]);
    expect(await parquetReadObjects({ file: buffer(bytes) })).toEqual([]);
    expect(parquetSchema(parquetMetadata(buffer(bytes))).children).toHaveLength(5);
  });
});

describe('JSONL writers', () => {
  it.skipIf(noTrajectories)('write versioned steps lines and TRL prompt-completion lines, atomically (no temp files left)', async () => {
    const dir = await tempDir('writers');
    await writeStepsJsonl(join(dir, 's.jsonl'), examples);
    await writeTrlJsonl(join(dir, 's.trl.jsonl'), examples);
    await writeVerlParquet(join(dir, 's.parquet'), examples);
    expect((await readdir(dir)).sort()).toEqual(['s.jsonl', 's.parquet', 's.trl.jsonl']);
    const steps = (await readFile(join(dir, 's.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    expect(steps).toHaveLength(examples.length);
    expect(steps[0]).toMatchObject({ version: STEPS_VERSION, id: examples[0]!.id, instance_id: examples[0]!.instanceId, step: 1 });
    expect(steps[0].prompt).toEqual(examples[0]!.prompt);
    expect(steps[0].target).toBe(examples[0]!.target);
    const trl = (await readFile(join(dir, 's.trl.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    expect(trl[3]).toEqual(toTrlLine(examples[3]!));
    expect(trl[3].completion).toEqual([{ role: 'assistant', content: examples[3]!.target }]);
    expect(trl[3].prompt.map((m: { role: string }) => m.role)).toEqual(['system', 'user']);
  });
});
