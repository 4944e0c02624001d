// Builds and grades the real SWE-bench instances of ../shared/data/instances whenever the git-remote template
// (SWE_SRL_GIT_REMOTE, else ../.mirror/{owner}+{name}/repo beside the project) reaches their repositories.
import { describe, expect, it } from 'vitest';
import { loadEnvRegistry } from '../../src/config/envs.ts';
import { LocalImages } from '../../src/harness/image-provider.ts';
import { runEvaluation } from '../../src/harness/run-evaluation.ts';
import { DockerEngine } from '../../src/sandbox/docker-engine.ts';
import { dockerSkipReason } from '../helpers/docker.ts';
import { reachableInstances as reachable, sources, warnUnreachable } from '../helpers/real-instances.ts';
import { tempDir } from '../helpers/tmp.ts';
import { DockerSandboxProvider } from '../../src/harness/sandbox-provider.ts';

warnUnreachable('real instances');

describe.skipIf(dockerSkipReason || reachable.length === 0)('real SWE-bench instances', () => {
  it.each(reachable.map((t) => [t.instance_id, t] as const))(
    '%s: gold resolves, empty does not',
    async (_id, task) => {
      const engine = new DockerEngine();
      const images = new LocalImages({ engine, envs: await loadEnvRegistry(), sources });
      const outDir = await tempDir('real');
      const r = await runEvaluation({
        tasks: [task],
        predictions: [
          { instance_id: task.instance_id, model_patch: task.patch, model_name_or_path: 'gold' },
        ],
        sandboxes: new DockerSandboxProvider({ engine, images }),
        outDir,
        runId: 'gold',
      });
      const o = r.outcomes.get(task.instance_id)!;
      expect(o.kind === 'graded' ? o.testsStatus : o).toMatchObject({
        FAIL_TO_PASS: { failure: [] },
        PASS_TO_PASS: { failure: [] },
      });
      expect(r.summary.resolved_ids).toEqual([task.instance_id]);
      const empty = await runEvaluation({
        tasks: [task],
        predictions: [{ instance_id: task.instance_id, model_patch: '', model_name_or_path: 'empty' }],
        sandboxes: new DockerSandboxProvider({ engine, images }),
        outDir: await tempDir('real-empty'),
        runId: 'empty',
      });
      expect(empty.summary.resolved_ids).toEqual([]);
    },
    900_000,
  );
});
