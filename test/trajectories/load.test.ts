// Loading: detection, forced formats, malformed input reported with file + JSON path, bad files not stopping others.
import { readFile, writeFile, copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeJson, loadTrajectories, outputName } from '../../src/trajectories/load.ts';
import { detectFormat, formatNames, getFormat } from '../../src/trajectories/registry.ts';
import { serializeTrajectory, TrajectorySchema } from '../../src/trajectories/schema.ts';
import { missingShared } from '../helpers/shared.ts';
import { tempDir } from '../helpers/tmp.ts';
import { shared, TRAJ_REL } from './helpers.ts';

let dir: string;
const DEMO = 'swe-agent/sweagent-demo_default/marshmallow-code__marshmallow-1867.traj';
const noTrajectories = missingShared('trajectory loading on the real files', TRAJ_REL);

beforeAll(async () => {
  dir = await tempDir('traj');
});

async function write(name: string, content: string): Promise<string> {
  const p = join(dir, name);
  await mkdir(join(p, '..'), { recursive: true });
  await writeFile(p, content);
  return p;
}

describe('detectFormat / getFormat', () => {
  it.skipIf(noTrajectories)('detects each shared format from content', async () => {
    const cases: Array<[string, string]> = [
      [DEMO, 'swe-agent'],
      ['mini-swe-agent/mini-swe-agent-v1.15.0_gemini-3-pro-preview_verified/django__django-11099.traj.json', 'mini-swe-agent'],
      ['openhands/swe-gym-sampled-gpt-4o/rows.json', 'openhands-chat'],
      ['openhands/event-stream/runtime-basic.json', 'openhands-events'],
      ['swe-smith/rows.json', 'swe-smith'],
      ['nebius/rows.json', 'nebius'],
    ];
    for (const [rel, name] of cases) {
      const json: unknown = JSON.parse(await readFile(shared(rel), 'utf8'));
      expect(detectFormat(json, rel).name, rel).toBe(name);
    }
  });
  it('fails listing the valid names when nothing matches, or for an unknown name', () => {
    expect(() => detectFormat({ hello: 'world' }, 'x.json')).toThrow(/Valid formats|valid formats: swe-srl, swe-agent, mini-swe-agent/);
    expect(() => getFormat('nope')).toThrow(new RegExp(`unknown trajectory format "nope".*${formatNames().join(', ')}`));
  });
});

describe('malformed input', () => {
  it.skipIf(noTrajectories)('reports truncated JSON with the file and where it ends', async () => {
    const text = await readFile(shared(DEMO), 'utf8');
    const p = await write('truncated.traj', text.slice(0, 5000));
    const r = await loadTrajectories([p]);
    expect(r.trajectories).toEqual([]);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]!.code).toBe('trajectory_json');
    expect(r.errors[0]!.file).toBe(p);
    expect(r.errors[0]!.field).toMatch(/line|end of file/);
  });
  it.skipIf(noTrajectories)('names the JSON path and the expectation for a wrong field type', async () => {
    const json = JSON.parse(await readFile(shared(DEMO), 'utf8'));
    json.trajectory[3].action = 42;
    const p = await write('wrong-type.traj', JSON.stringify(json));
    const r = await loadTrajectories([p]);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]!.file).toBe(p);
    expect(r.errors[0]!.field).toBe('trajectory[3].action');
    expect(r.errors[0]!.message).toMatch(/expected string, received number/);
  });
  it.skipIf(noTrajectories)('keeps the good rows of a multi-row file and reports the bad one with its row index', async () => {
    const rows = JSON.parse(await readFile(shared('nebius/rows.json'), 'utf8'));
    rows[1].trajectory[4].text = ['not', 'text'];
    const p = await write('nebius-bad-row.json', JSON.stringify(rows));
    const r = await loadTrajectories([p], { format: 'nebius' });
    expect(r.trajectories.map((t) => t.source.index)).toEqual([0, 2]);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]!.field).toBe('[1].trajectory[4].text');
  });
  it.skipIf(noTrajectories)('reports a bad JSONL line and keeps the other lines', async () => {
    const lines = (await readFile(shared('openhands/event-stream/resolver-output.jsonl'), 'utf8')).split('\n').filter(Boolean);
    const p = await write('resolver-bad-line.jsonl', `${lines[0]}\n{"history": [\n${lines[1]}\n`);
    const r = await loadTrajectories([p]);
    expect(r.trajectories.map((t) => [t.instanceId, t.source.index])).toEqual([
      ['neubig__pr-viewer-5', 0],
      ['neubig__pr-viewer-1', 2],
    ]);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]!.field).toMatch(/^line 2/);
  });
  it.skipIf(noTrajectories)('fails an undetectable file listing the formats, and a forced wrong format with a path', async () => {
    const p = await write('other.json', JSON.stringify({ some: 'thing' }));
    const r = await loadTrajectories([p]);
    expect(r.errors[0]!.code).toBe('trajectory_format_undetected');
    expect(r.errors[0]!.message).toContain(formatNames().join(', '));
    const forced = await loadTrajectories([shared('nebius/rows.json')], { format: 'swe-smith' });
    expect(forced.trajectories).toEqual([]);
    expect(forced.errors).toHaveLength(3);
    expect(forced.errors[0]!.field).toBe('[0].messages');
  });
  it.skipIf(noTrajectories)('rejects an unknown --format before reading anything', async () => {
    await expect(loadTrajectories([shared(DEMO)], { format: 'nope' })).rejects.toThrow(/valid formats/i);
  });
  it.skipIf(noTrajectories)('reports a missing path without stopping', async () => {
    const r = await loadTrajectories([join(dir, 'absent.traj'), shared(DEMO)]);
    expect(r.trajectories).toHaveLength(1);
    expect(r.errors[0]!.code).toBe('trajectory_file_missing');
  });
});

describe('folders', () => {
  it.skipIf(noTrajectories)('yields the good files of a folder that holds one bad file', async () => {
    const sub = join(dir, 'mixed');
    await mkdir(join(sub, 'deep'), { recursive: true });
    await copyFile(shared(DEMO), join(sub, 'a.traj'));
    await copyFile(shared('nebius/rows.json'), join(sub, 'deep', 'rows.json'));
    await writeFile(join(sub, 'broken.traj.json'), '{"messages": [');
    await writeFile(join(sub, 'notes.txt'), 'not walked');
    const r = await loadTrajectories([sub]);
    expect(r.trajectories).toHaveLength(4);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]!.file).toBe(join(sub, 'broken.traj.json'));
    expect(r.files.map((f) => f.format)).toEqual(['swe-agent', undefined, 'nebius']);
  });
  it.skipIf(noTrajectories)('skips predictions and harness reports met in folders, but reports them when named', async () => {
    const named = await loadTrajectories([shared('swe-agent/sweagent-gpt4-0125_lite-run2/preds.jsonl')]);
    expect(named.errors[0]!.message).toMatch(/predictions file, not a trajectory/);
    const walked = await loadTrajectories([shared('swe-agent/sweagent-gpt4-0125_lite-run2')]);
    expect(walked.errors).toEqual([]);
    expect(walked.skipped).toHaveLength(1);
  });
});

describe('normalized trajectories', () => {
  it.skipIf(noTrajectories)('round-trip through JSON with their version, and load back as the swe-srl format', async () => {
    const r = await loadTrajectories([shared('swe-smith/rows.json'), shared(DEMO)]);
    const out = join(dir, 'norm');
    for (const t of r.trajectories) await write(join('norm', outputName(t)), serializeTrajectory(t));
    const json = JSON.parse(serializeTrajectory(r.trajectories[0]!));
    expect(json.version).toBe(1);
    expect(TrajectorySchema.parse(json)).toEqual(r.trajectories[0]);
    const back = await loadTrajectories([out]);
    expect(back.errors).toEqual([]);
    expect(back.files.every((f) => f.format === 'swe-srl')).toBe(true);
    const key = (t: { instanceId: string; source: { file: string; index?: number } }) => `${t.source.file}#${t.source.index}`;
    expect([...back.trajectories].sort((a, b) => key(a).localeCompare(key(b)))).toEqual(
      [...r.trajectories].sort((a, b) => key(a).localeCompare(key(b))),
    );
  });
  it.skipIf(noTrajectories)('rejects another version with a hint', async () => {
    const [t] = (await loadTrajectories([shared(DEMO)])).trajectories;
    const p = await write('v99.json', JSON.stringify({ ...t, version: 99 }));
    const r = await loadTrajectories([p]);
    expect(r.errors[0]!.field).toBe('version');
    expect(r.errors[0]!.message).toMatch(/expected version 1/);
  });
  it('decodes a single JSON value and JSONL alike', () => {
    expect(decodeJson('{"a":1}', 'f').value).toEqual({ a: 1 });
    expect(decodeJson('{"a":1}\n{"a":2}\n', 'f').value).toEqual([{ a: 1 }, { a: 2 }]);
  });
});
