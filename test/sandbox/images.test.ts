// ImageBuilder's choice of base per Python line, with an in-memory engine (no Docker).
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { EnvSpec } from '../../src/config/env-spec.ts';
import type { DockerEngine } from '../../src/sandbox/docker-engine.ts';
import { ImageBuilder } from '../../src/sandbox/images.ts';

const spec = (repo: string, version: string, base?: EnvSpec['base']): EnvSpec => ({
  repo, version, versions: ['*'], apt: [], pip: [], env_setup: [], env: {}, install: [], test_cmd: 't', log_parser: 'pytest',
  directives: 'paths', timeout_s: 60, ...(base ? { base } : {}),
});

// The engine calls ImageBuilder makes, over a map of tag -> labels.
function memoryEngine(images: Map<string, Record<string, string>>) {
  const built: string[] = [];
  const engine = {
    inspectImage: async (ref: string) => (images.has(ref) ? { id: `sha256:${ref}`, labels: images.get(ref)! } : undefined),
    buildImage: async (o: { tag: string; files: Record<string, string> }) => {
      built.push(`${o.tag} ${o.files.Dockerfile!.split('\n')[0]}`);
      images.set(o.tag, {});
    },
  };
  return { engine: engine as unknown as DockerEngine, built };
}

describe('ImageBuilder base per Python line', () => {
  it('builds a missing line once, from the line SWE-bench\'s Python picks, and reports the interpreter', async () => {
    const images = new Map([['swe-srl-base:bookworm', {}]]);
    const { engine, built } = memoryEngine(images);
    const bases: string[] = [];
    const builder = new ImageBuilder({
      engine,
      source: async () => Readable.from([]),
      buildBase: async (line, tag) => {
        bases.push(line);
        images.set(tag, { 'swe-srl.python': '3.9.2', 'swe-srl.suite': line });
      },
    });
    const [a, b] = await Promise.all([
      builder.prepare({ instance_id: 'sympy__sympy-1', repo: 'sympy/sympy', base_commit: 'c1' }, spec('sympy/sympy', '1.1')),
      builder.prepare({ instance_id: 'sympy__sympy-2', repo: 'sympy/sympy', base_commit: 'c2' }, spec('sympy/sympy', '1.2')),
    ]);
    expect(bases).toEqual(['bullseye']);
    expect(a.python).toEqual({ python_line: 'bullseye', python_version: '3.9.2', swebench_python: '3.9' });
    expect(b.python?.python_line).toBe('bullseye');
    expect(built.filter((l) => l.startsWith('swe-srl-env:'))).toEqual([expect.stringMatching(/ FROM swe-srl-base:bullseye$/)]);

    const pinned = await builder.prepare({ instance_id: 'sympy__sympy-3', repo: 'sympy/sympy', base_commit: 'c3' }, spec('sympy/sympy', '1.1', 'bookworm'));
    expect(pinned.python).toEqual({ python_line: 'bookworm', python_version: '3.11', swebench_python: '3.9' });
    expect(bases).toEqual(['bullseye']);
  });

  it('fails with the build command in the hint when a custom base is missing, and never builds it', async () => {
    const { engine } = memoryEngine(new Map());
    let asked = 0;
    const builder = new ImageBuilder({ engine, baseImage: 'my-base:1', source: async () => Readable.from([]), buildBase: async () => void asked++ });
    await expect(builder.prepare({ instance_id: 'x', repo: 'a/b', base_commit: 'c' }, spec('a/b', '1'))).rejects.toThrow(/base_image_missing.*my-base:1/);
    expect(asked).toBe(0);
    const lazy = new ImageBuilder({ engine, source: async () => Readable.from([]), buildBase: async () => void asked++ });
    await expect(lazy.prepare({ instance_id: 'x', repo: 'a/b', base_commit: 'c' }, spec('a/b', '1'))).rejects.toThrow(/build-base-image\.sh bookworm/);
    expect(asked).toBe(1);
  });
});
