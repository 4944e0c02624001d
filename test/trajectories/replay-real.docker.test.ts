// A real SWE-agent trajectory (gpt-4, SWE-bench Lite, windowed commands) replayed on its real instance, whenever the
// git-remote template (SWE_SRL_GIT_REMOTE, else ../.mirror/{owner}+{name}/repo beside the project) reaches pytest.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadEnvRegistry } from '../../src/config/envs.ts';
import { LocalImages } from '../../src/harness/image-provider.ts';
import { DockerEngine } from '../../src/sandbox/docker-engine.ts';
import { RepoSources } from '../../src/sandbox/sources.ts';
import { parseTaskRows } from '../../src/tasks/load.ts';
import { loadTrajectories } from '../../src/trajectories/load.ts';
import { replayAll } from '../../src/trajectories/replay.ts';
import { dockerSkipReason } from '../helpers/docker.ts';
import { missingShared, PROJECT_ROOT, sharedPath } from '../helpers/shared.ts';
import { tempDir } from '../helpers/tmp.ts';
import { DockerSandboxProvider } from '../../src/harness/sandbox-provider.ts';

const ID = 'pytest-dev__pytest-11143';
const TRAJ_REL = `data/trajectories/swe-agent/sweagent-gpt4-0125_lite-run2/${ID}.traj`;
const INSTANCE_REL = `data/instances/${ID}/instance.json`;
const TRAJ = sharedPath(TRAJ_REL);
const INSTANCE = sharedPath(INSTANCE_REL);
const template = process.env.SWE_SRL_GIT_REMOTE ?? resolve(PROJECT_ROOT, '../.mirror/{owner}+{name}/repo');
const sources = new RepoSources({ remoteTemplate: template });
const haveFiles = !missingShared(`${ID} replay`, TRAJ_REL, INSTANCE_REL);
const reachable = haveFiles && sources.reachable('pytest-dev/pytest');
if (haveFiles && !reachable) console.warn(`[skip] ${ID} replay: pytest-dev/pytest not reachable through ${template} (set SWE_SRL_GIT_REMOTE)`);

describe.skipIf(dockerSkipReason || !reachable)(`replay of a real SWE-agent run (${ID})`, () => {
  it('reproduces the windowed commands, the refused edit, the patch and the verdict', async () => {
    const tasks = parseTaskRows([JSON.parse(readFileSync(INSTANCE, 'utf8')) as unknown], { file: INSTANCE });
    const { trajectories } = await loadTrajectories([TRAJ]);
    const engine = new DockerEngine();
    const images = new LocalImages({ engine, envs: await loadEnvRegistry(), sources });
    const outDir = await tempDir('replay-real');
    const s = await replayAll({ trajectories, tasks, sandboxes: new DockerSandboxProvider({ engine, images }), outDir });
    const r = s.results[0]!;
    // Steps 2 and 10 run pytest, whose header names another Python than the recording's; they still pass 0.9.
    expect(r).toMatchObject({ steps_total: 12, first_divergence: null, patch_identical: true, resolved: true });
    expect(r.steps_reproduced).toBe(12);
  }, 900_000);
});
