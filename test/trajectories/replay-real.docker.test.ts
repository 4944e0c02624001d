// A real SWE-agent trajectory (gpt-4, SWE-bench Lite, windowed commands) replayed on its real instance, whenever the
// git-remote template (SWE_SRL_GIT_REMOTE, else ../.mirror/{owner}+{name}/repo beside the project) reaches pytest.
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadEnvRegistry } from '../../src/config/envs.ts';
import { LocalImages } from '../../src/harness/image-provider.ts';
import { DockerEngine } from '../../src/sandbox/docker-engine.ts';
import { RepoSources } from '../../src/sandbox/sources.ts';
import { parseTaskRows } from '../../src/tasks/load.ts';
import { loadTrajectories } from '../../src/trajectories/load.ts';
import { replayAll } from '../../src/trajectories/replay.ts';
import { dockerSkipReason } from '../helpers/docker.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const SHARED = resolve(ROOT, '../shared/data');
const ID = 'pytest-dev__pytest-11143';
const TRAJ = join(SHARED, 'trajectories/swe-agent/sweagent-gpt4-0125_lite-run2', `${ID}.traj`);
const INSTANCE = join(SHARED, 'instances', ID, 'instance.json');
const template = process.env.SWE_SRL_GIT_REMOTE ?? resolve(ROOT, '../.mirror/{owner}+{name}/repo');
const sources = new RepoSources({ remoteTemplate: template });
const haveFiles = existsSync(TRAJ) && existsSync(INSTANCE);
const reachable = haveFiles && sources.reachable('pytest-dev/pytest');
if (!reachable) console.warn(`[skip] ${ID} replay: ${haveFiles ? `pytest-dev/pytest not reachable through ${template} (set SWE_SRL_GIT_REMOTE)` : 'shared data missing'}`);

describe.skipIf(dockerSkipReason || !reachable)(`replay of a real SWE-agent run (${ID})`, () => {
  it('reproduces the windowed commands, the refused edit, the patch and the verdict', async () => {
    const tasks = parseTaskRows([JSON.parse(readFileSync(INSTANCE, 'utf8')) as unknown], { file: INSTANCE });
    const { trajectories } = await loadTrajectories([TRAJ]);
    const engine = new DockerEngine();
    const images = new LocalImages({ engine, envs: await loadEnvRegistry(), sources });
    const outDir = await mkdtemp(join(tmpdir(), 'replay-real-'));
    const s = await replayAll({ trajectories, tasks, engine, images, outDir });
    const r = s.results[0]!;
    // Steps 2 and 10 run pytest, whose header names another Python than the recording's; they still pass 0.9.
    expect(r).toMatchObject({ steps_total: 12, first_divergence: null, patch_identical: true, resolved: true });
    expect(r.steps_reproduced).toBe(12);
  }, 900_000);
});
