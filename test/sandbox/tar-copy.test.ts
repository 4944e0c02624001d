// copyTarEntries: entries land under the prefix, long names included (their pax path must not win over it).
import { PassThrough, type Readable } from 'node:stream';
import tarStream from 'tar-stream';
import { describe, expect, it } from 'vitest';
import { copyTarEntries } from '../../src/sandbox/tar-copy.ts';

function tarOf(files: Record<string, string>, pax = false): Readable {
  const pack = tarStream.pack();
  for (const [name, content] of Object.entries(files)) pack.entry({ name, ...(pax ? { pax: { path: name } } : {}) }, content);
  pack.finalize();
  return pack.pipe(new PassThrough());
}

async function names(tar: Readable): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const extract = tarStream.extract();
  extract.on('entry', (h, body, next) => {
    let text = '';
    body.on('data', (d: unknown) => (text += Buffer.from(d as Uint8Array).toString()));
    body.on('end', () => {
      out[h.name] = text;
      next();
    });
  });
  await new Promise<void>((resolve, reject) => {
    extract.on('finish', resolve).on('error', reject);
    tar.pipe(extract);
  });
  return out;
}

describe('copyTarEntries', () => {
  it('puts every entry under the prefix, a name longer than 100 characters (pax) too', async () => {
    const long = `${'deep/'.repeat(30)}file.py`;
    const pack = tarStream.pack();
    const copied = names(pack.pipe(new PassThrough()));
    await copyTarEntries(tarOf({ 'a.py': 'a', './b/c.py': 'c', [long]: 'long' }), pack, 'testbed/');
    await copyTarEntries(tarOf({ [`x/${long}`]: 'pax' }, true), pack, '');
    pack.finalize();
    expect(await copied).toEqual({ 'testbed/a.py': 'a', 'testbed/b/c.py': 'c', [`testbed/${long}`]: 'long', [`x/${long}`]: 'pax' });
  });

  it('rejects when the source stream fails midway', async () => {
    const source = new PassThrough();
    const pack = tarStream.pack();
    pack.resume();
    const done = copyTarEntries(source, pack, 'p');
    source.destroy(new Error('git archive died'));
    await expect(done).rejects.toThrow('git archive died');
  });
});
