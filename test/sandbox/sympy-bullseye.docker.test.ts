// sympy 1.1 (sympy__sympy-13480) does not import on Python 3.11; on the bullseye base its env spec picks (Python
// 3.9, as SWE-bench pins) the gold patch resolves and a no-op patch does not. Skips without the sympy mirror
// (SWE_SRL_GIT_REMOTE, else ../.mirror/{owner}+{name}/repo beside the project) or ../shared's Lite rows.
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadEnvRegistry } from '../../src/config/envs.ts';
import { LocalImages } from '../../src/harness/image-provider.ts';
import { runEvaluation } from '../../src/harness/run-evaluation.ts';
import { DockerSandboxProvider } from '../../src/harness/sandbox-provider.ts';
import { DockerEngine } from '../../src/sandbox/docker-engine.ts';
import { RepoSources } from '../../src/sandbox/sources.ts';
import { loadTasks } from '../../src/tasks/load.ts';
import { dockerSkipReason } from '../helpers/docker.ts';
import { missingShared, PROJECT_ROOT, sharedPath } from '../helpers/shared.ts';
import { tempDir } from '../helpers/tmp.ts';

const ID = 'sympy__sympy-13480';
const template = process.env.SWE_SRL_GIT_REMOTE ?? resolve(PROJECT_ROOT, '../.mirror/{owner}+{name}/repo');
const sources = new RepoSources({ remoteTemplate: template });
const noLite = missingShared('sympy 1.1 on bullseye', 'data/swe-bench-lite.json');
const task = noLite ? undefined : (await loadTasks(sharedPath('data/swe-bench-lite.json'))).find((t) => t.instance_id === ID);
const noMirror = !sources.reachable('sympy/sympy');
if (noMirror) console.warn(`[skip] ${ID}: the git-remote template ${template} does not reach sympy/sympy (set SWE_SRL_GIT_REMOTE)`);
const NOOP = 'diff --git a/swe_srl_noop.txt b/swe_srl_noop.txt\nnew file mode 100644\n--- /dev/null\n+++ b/swe_srl_noop.txt\n@@ -0,0 +1 @@\n+noop\n';

describe.skipIf(dockerSkipReason || noMirror || !task)('sympy 1.1 on the bullseye base', () => {
  it(`${ID}: gold resolves under Python 3.9, a no-op patch does not`, async () => {
    const engine = new DockerEngine();
    const images = new LocalImages({ engine, envs: await loadEnvRegistry(), sources });
    const sandboxes = new DockerSandboxProvider({ engine, images });
    expect(images.spec(task!).base_choice).toMatchObject({ line: 'bullseye', swebenchPython: '3.9' });
    expect((await images.prepare(task!)).python).toMatchObject({ python_line: 'bullseye', python_version: expect.stringMatching(/^3\.9\./) });
    const goldDir = await tempDir('sympy-gold');
    const run = async (name: string, patch: string, outDir?: string) =>
      (
        await runEvaluation({
          tasks: [task!],
          predictions: [{ instance_id: ID, model_patch: patch, model_name_or_path: name }],
          sandboxes,
          outDir: outDir ?? (await tempDir(`sympy-${name}`)),
          runId: name,
        })
      ).outcomes.get(ID)!;
    const gold = await run('gold', task!.patch, goldDir);
    // report.json says which interpreter graded the run.
    const report = JSON.parse(await readFile(join(goldDir, ID, 'report.json'), 'utf8')) as { swe_srl: { image: Record<string, string> } };
    expect(report.swe_srl.image).toMatchObject({ python_line: 'bullseye', python_version: expect.stringMatching(/^3\.9\./), swebench_python: '3.9' });
    expect(gold.kind === 'graded' ? gold.testsStatus : gold).toMatchObject({ FAIL_TO_PASS: { failure: [] }, PASS_TO_PASS: { failure: [] } });
    expect(gold).toMatchObject({ kind: 'graded', resolved: true });
    const noop = await run('noop', NOOP);
    expect(noop).toMatchObject({ kind: 'graded', resolved: false });
  }, 1_800_000);
});
