// swe-srl policy make-test-model's builder: the same options give the same bytes; a bad option is the user's error.
import { createHash } from 'node:crypto';
import { readFile, readdir, rm, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTestModel, testModelArgs } from '../../src/policy/test-model.ts';

const made: string[] = [];
afterAll(async () => {
  await Promise.all(made.map((d) => rm(d, { recursive: true, force: true })));
});

async function folderHashes(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const f of (await readdir(dir)).sort()) out[f] = createHash('sha256').update(await readFile(join(dir, f))).digest('hex');
  return out;
}

describe('makeTestModel', () => {
  it('passes only the options given', () => {
    expect(testModelArgs({ out: 'm' })).toEqual(['--out', 'm']);
    expect(testModelArgs({ out: 'm', seed: 2, vocabSize: 512, layers: 1, hidden: 32 })).toEqual(
      ['--out', 'm', '--seed', '2', '--vocab-size', '512', '--layers', '1', '--hidden', '32'],
    );
  });

  it('is deterministic for a seed: two folders with the same bytes (weights, tokenizer, template)', async () => {
    const dirs = [await mkdtemp(join(tmpdir(), 'swe-srl-tm-')), await mkdtemp(join(tmpdir(), 'swe-srl-tm-'))];
    made.push(...dirs);
    const infos = [];
    for (const out of dirs) infos.push(await makeTestModel({ out, seed: 3, vocabSize: 512, hidden: 32, layers: 1 }));
    expect(infos[0]).toMatchObject({ vocab_size: 512, layers: 1, hidden: 32, seed: 3 });
    const [a, b] = [await folderHashes(dirs[0]!), await folderHashes(dirs[1]!)];
    expect(Object.keys(a)).toEqual(expect.arrayContaining(['config.json', 'model.safetensors', 'tokenizer.json', 'chat_template.jinja']));
    expect(b).toEqual(a);
  }, 120_000);

  it("a bad option fails as the user's error naming it", async () => {
    const out = await mkdtemp(join(tmpdir(), 'swe-srl-tm-'));
    made.push(out);
    await expect(makeTestModel({ out, hidden: 48 })).rejects.toThrow(/test_model_failed.*--hidden must be a positive multiple of 32/s);
  }, 60_000);
});
