// Ctrl-C during a run removes the run's containers.
import { execFileSync, spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dockerSkipReason } from '../helpers/docker.ts';
import { tempDir } from '../helpers/tmp.ts';

const ROOT = resolve(import.meta.dirname, '../..');

function runContainers(runId: string): string[] {
  return execFileSync('docker', ['ps', '-aq', '--filter', `label=swe-srl.run=${runId}`]).toString().split('\n').filter(Boolean);
}

describe.skipIf(dockerSkipReason)('interrupting a run', () => {
  it('removes the live sandboxes on SIGINT', async () => {
    const dir = await tempDir('sigint');
    const hang = 'diff --git a/conftest.py b/conftest.py\nnew file mode 100644\n--- /dev/null\n+++ b/conftest.py\n@@ -0,0 +1,3 @@\n+import time\n+while True:\n+    time.sleep(1)\n';
    const preds = join(dir, 'preds.jsonl');
    await writeFile(preds, `${JSON.stringify({ instance_id: 'swe-srl__textkit-1', model_patch: hang, model_name_or_path: 'hang' })}\n`);
    const runId = `sigint-${process.pid}-${Date.now()}`;
    const child = spawn(
      process.execPath,
      [join(ROOT, 'bin/swe-srl.js'), 'eval', '--instances', 'swe-srl__textkit-1', '--predictions', preds, '--run-id', runId, '--out', join(dir, 'out'), '--timeout', '300'],
      { cwd: ROOT, stdio: 'ignore' },
    );
    const exited = new Promise<number | null>((res) => child.on('exit', (code, sig) => res(code ?? (sig ? 130 : null))));
    let seen = false;
    for (let i = 0; i < 120 && !seen; i++) {
      await new Promise((r) => setTimeout(r, 500));
      seen = runContainers(runId).length > 0;
    }
    expect(seen).toBe(true);
    await new Promise((r) => setTimeout(r, 1500));
    child.kill('SIGINT');
    await exited;
    expect(runContainers(runId)).toEqual([]);
  });
});
