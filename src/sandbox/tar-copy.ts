// Re-packs the entries of a tar stream into another tar pack under a prefix, one entry at a time (the pack's reader
// sets the pace). Used to put a repository tree under testbed/ of a build context and to join submodule trees.
import type { Readable } from 'node:stream';
import type tar from 'tar-stream';
import tarStream from 'tar-stream';

/**
 * Copies every entry of `source` into `pack`, its name under `prefix` ('' keeps names as they are). A source that
 * fails midway (a git archive that dies) rejects; every stream of the copy has an error listener, so nothing crashes
 * the process. Long names travel in the pax header; its stale `path`/`linkpath` would override the prefixed name, so
 * they are dropped and tar-stream writes the new name.
 */
export async function copyTarEntries(source: Readable, pack: tar.Pack, prefix: string): Promise<void> {
  const extract = tarStream.extract();
  const dir = prefix.replace(/\/+$/, '');
  await new Promise<void>((resolve, reject) => {
    const fail = (e: unknown) => {
      reject(e instanceof Error ? e : new Error(String(e)));
      extract.destroy();
      source.destroy();
    };
    extract.on('entry', (header, body, next) => {
      body.on('error', fail);
      if ((header.type as string) === 'pax-global-header') {
        body.resume();
        body.on('end', next);
        return;
      }
      const { path: _path, linkpath: _linkpath, ...pax } = (header.pax ?? {}) as Record<string, string>;
      const own = header.name.replace(/^\.\//, '');
      const name = dir ? `${dir}/${own}` : own;
      const entry = pack.entry({ ...header, name, pax: Object.keys(pax).length ? pax : undefined }, (err) => (err ? fail(err) : next()));
      entry.on('error', fail);
      body.pipe(entry);
    });
    extract.on('finish', resolve);
    extract.on('error', fail);
    source.on('error', fail);
    source.pipe(extract);
  });
}
