// The commands a user runs to evaluate a served model, end to end: `swe-srl policy serve` puts the gold policy
// (reference answers of the bundled tasks) behind an OpenAI-compatible API, and `swe-srl evaluate` samples it
// through policy.backend=openai overrides in oracle and agent modes, grading in real sandboxes. Every task must
// resolve: the HTTP round trip loses nothing of the replies (editor calls, stop strings, multi-turn steps).
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerSkipReason } from '../helpers/docker.ts';
import { tempDir } from '../helpers/tmp.ts';

const IDS = 'swe-srl__jsonptr-1,swe-srl__textkit-1';

describe.skipIf(dockerSkipReason)('swe-srl evaluate with policy.backend=openai against swe-srl policy serve', () => {
  let server: ChildProcess | undefined;
  let url = '';
  let dir = '';

  beforeAll(async () => {
    dir = await tempDir('evaluate-openai');
    await writeFile(join(dir, 'gold.yaml'), 'version: 1\npolicy: { backend: gold, tasks: bundled }\n');
    await writeFile(join(dir, 'client.yaml'), 'version: 1\nrollout: { max_new_tokens: 4096 }\n');
    const child = spawn(process.execPath, ['bin/swe-srl.js', 'policy', 'serve', '--config', join(dir, 'gold.yaml'), '--port', '0', '--model-name', 'gold-ref', '-q'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server = child;
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    url = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout! }).on('line', (l) => {
        const m = /on (http:\/\/\S+)$/.exec(l);
        if (m) resolve(m[1]!);
      });
      child.on('exit', (code) => reject(new Error(`policy serve exited ${code}: ${stderr}`)));
    });
  }, 120_000);

  afterAll(() => {
    server?.kill('SIGTERM');
  });

  const evaluate = async (mode: 'oracle' | 'agent') => {
    const out = join(dir, mode);
    const r = await execa(
      process.execPath,
      ['bin/swe-srl.js', 'evaluate', '--mode', mode, '--config', join(dir, 'client.yaml'), '--tasks', 'bundled', '--instances', IDS, '--out', out, '--json',
        'policy.backend=openai', `policy.base_url=${url}`, 'policy.model=gold-ref', 'policy.api_key_env=SWE_SRL_TEST_NO_KEY'],
      { reject: false, timeout: 900_000 },
    );
    expect(r.exitCode, r.stderr.slice(-2000)).toBe(0);
    return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
  };

  it('oracle mode: both tasks resolve', async () => {
    const s = await evaluate('oracle');
    expect(s).toMatchObject({ resolved: 2, instances_resolved: 2 });
  }, 900_000);

  it('agent mode: both episodes submit patches that resolve', async () => {
    const s = await evaluate('agent');
    expect(s).toMatchObject({ tasks: 2, resolved: 2 });
  }, 900_000);

  it('a wrong model name fails the run with the served names, not a hang', async () => {
    const r = await execa(
      process.execPath,
      ['bin/swe-srl.js', 'evaluate', '--mode', 'oracle', '--config', join(dir, 'client.yaml'), '--tasks', 'bundled', '--instances', IDS, '--out', join(dir, 'bad'),
        'policy.backend=openai', `policy.base_url=${url}`, 'policy.model=nope'],
      { reject: false, timeout: 300_000 },
    );
    expect(r.exitCode).not.toBe(0);
    expect(r.stderr).toMatch(/gold-ref/);
  }, 300_000);
});
