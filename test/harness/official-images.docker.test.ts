// Official images in a real engine. No registry is reachable here, so the "official" image is one of our instance
// images with a stand-in conda (`/opt/miniconda3/bin/activate`) tagged locally under the official name: it must be
// used as it is (no pull, no rebuild, commands in its conda env), and a name no engine has must fail to pull.
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEnvRegistry, type EnvRegistry } from '../../src/config/envs.ts';
import { AutoImages, imageChoice, LocalImages, OfficialImages, type EvalTask } from '../../src/harness/image-provider.ts';
import { officialImageName } from '../../src/harness/official-images.ts';
import { runEvaluation } from '../../src/harness/run-evaluation.ts';
import { runTestsInSandbox } from '../../src/harness/run-instance.ts';
import { DockerSandboxProvider } from '../../src/harness/sandbox-provider.ts';
import { DockerEngine } from '../../src/sandbox/docker-engine.ts';
import { createDockerSandbox } from '../../src/sandbox/docker-sandbox.ts';
import { loadBundledTasks } from '../../src/tasks/bundled.ts';
import { dockerSkipReason } from '../helpers/docker.ts';
import { tempDir } from '../helpers/tmp.ts';

const ID = 'swe-srl__confparse-1';
// a tag of our own, so no real SWE-bench image is ever shadowed or removed
const TAG = `swe-srl-test-${process.pid}`;
const ABSENT_TAG = `swe-srl-absent-${process.pid}`;

describe.skipIf(dockerSkipReason)('official images (tagged locally under the official name)', () => {
  const engine = new DockerEngine();
  let envs: EnvRegistry;
  let task: EvalTask;
  let bundled: EvalTask;
  let local: LocalImages;
  let name: string;
  const pulls: string[] = [];
  const spyEngine = {
    inspectImage: (ref: string) => engine.inspectImage(ref),
    pullImage: (ref: string, onLog?: (line: string) => void) => {
      pulls.push(ref);
      return engine.pullImage(ref, onLog);
    },
  };

  beforeAll(async () => {
    envs = await loadEnvRegistry();
    bundled = (await loadBundledTasks()).find((t) => t.instance_id === ID)!;
    local = new LocalImages({ engine, envs });
    const inst = await local.prepare(bundled);
    name = officialImageName(ID, { tag: TAG });
    const dockerfile = `FROM ${inst.image}\nRUN mkdir -p /opt/miniconda3/bin && printf 'conda() { export SWE_SRL_CONDA_ENV="$2"; }\\n' > /opt/miniconda3/bin/activate\n`;
    execFileSync('docker', ['build', '-q', '-t', name, '-'], { input: dockerfile, stdio: ['pipe', 'ignore', 'pipe'], timeout: 300_000 });
    // an official image holds the repository at the task's base commit
    const head = execFileSync('docker', ['run', '--rm', '--network', 'none', name, 'git', '-C', '/testbed', 'rev-parse', 'HEAD'], { encoding: 'utf8', timeout: 120_000 }).trim();
    task = { ...bundled, base_commit: head };
  }, 600_000);

  afterAll(() => {
    if (name) execFileSync('docker', ['rmi', name], { stdio: 'ignore', timeout: 60_000 });
  });

  it('official: uses the image as the engine has it, in its conda env, and grades the gold patch', async () => {
    const img = await new OfficialImages({ engine: spyEngine, envs, tag: TAG }).prepare(task);
    expect(imageChoice(img)).toEqual({ source: 'official', image: name, origin: 'present' });
    expect(img).toMatchObject({ image: name, workdir: '/testbed', baseRef: task.base_commit, built: false });
    expect(pulls).toEqual([]);
    const sandbox = await createDockerSandbox({ engine, image: img.image, workdir: img.workdir, baseRef: img.baseRef, env: img.env, prelude: img.prelude, labels: { 'swe-srl.test': 'official-images' } });
    try {
      expect((await sandbox.exec('echo "$SWE_SRL_CONDA_ENV"')).output.trim()).toBe('testbed');
      expect((await sandbox.applyPatch(task.patch)).applied).toBe(true);
      const r = await runTestsInSandbox({ sandbox, task, spec: envs.resolve(task.repo, task.version), image: img });
      expect(r.outcome).toMatchObject({ kind: 'graded', resolved: true });
    } finally {
      await sandbox.close();
    }
  }, 300_000);

  it('auto: prefers the official image on the engine over a local build', async () => {
    const auto = new AutoImages({ official: new OfficialImages({ engine: spyEngine, envs, tag: TAG }), local });
    expect(imageChoice(await auto.prepare(task))).toMatchObject({ source: 'official', origin: 'present' });
    expect(pulls).toEqual([]);
  });

  it('auto through the harness: report.json and the summary record the official image, the progress event carries it', async () => {
    const outDir = await tempDir('eval-official');
    const images = new AutoImages({ official: new OfficialImages({ engine: spyEngine, envs, tag: TAG }), local });
    const seen: unknown[] = [];
    const r = await runEvaluation({
      tasks: [task],
      predictions: [{ instance_id: ID, model_patch: task.patch, model_name_or_path: 'gold' }],
      sandboxes: new DockerSandboxProvider({ engine, images }),
      outDir,
      runId: 'official',
      onProgress: (e) => seen.push(e.image),
    });
    expect(r.summary.resolved_ids).toEqual([ID]);
    expect(r.summary.swe_srl.image_sources).toEqual({ official: 1, local: 0 });
    const report = JSON.parse(await readFile(join(outDir, ID, 'report.json'), 'utf8'));
    expect(report.swe_srl.image).toEqual({ source: 'official', image: name, origin: 'present' });
    expect(report[ID]).toMatchObject({ resolved: true, infra_failure: false });
    expect(seen).toEqual([{ source: 'official', image: name, origin: 'present' }]);
    expect(await readFile(join(outDir, ID, 'run_instance.log'), 'utf8')).toContain(`image ${name} (official, present)`);
    expect(pulls).toEqual([]);
  }, 300_000);

  it('a name the engine lacks: official fails with image_unavailable, auto builds here and says why', async () => {
    const absent = officialImageName(ID, { tag: ABSENT_TAG });
    const official = new OfficialImages({ engine: spyEngine, envs, tag: ABSENT_TAG });
    await expect(official.prepare(task)).rejects.toMatchObject({ code: 'image_unavailable', value: absent });
    const auto = new AutoImages({ official, local });
    // the local build takes the task as it is (its base commit is the bundled repository's)
    const img = await auto.prepare(bundled);
    expect(img.image).toMatch(/^swe-srl-inst:/);
    expect(imageChoice(img)).toMatchObject({ source: 'local', official_unavailable: expect.stringContaining(absent) });
    expect(pulls).toEqual([absent, absent]);
  }, 300_000);
});
