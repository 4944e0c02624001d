// The oracle setting on the real SWE-bench instances of ../shared/data/instances (when their repositories are
// reachable): the example shows the files the fix edits, and the reference patch given as editor edits resolves.
import { describe, expect, it } from 'vitest';
import { loadEnvRegistry } from '../../src/config/envs.ts';
import { LocalImages } from '../../src/harness/image-provider.ts';
import { buildOracleExamples } from '../../src/oracle/build.ts';
import { OutcomeGrader } from '../../src/oracle/outcome.ts';
import { createOutcomeReward } from '../../src/oracle/outcome-reward.ts';
import { DockerEngine } from '../../src/sandbox/docker-engine.ts';
import { filesTouchedByPatch } from '../../src/util/patch-paths.ts';
import { dockerSkipReason } from '../helpers/docker.ts';
import { reachableInstances, sources, warnUnreachable } from '../helpers/real-instances.ts';
import { DockerSandboxProvider } from '../../src/harness/sandbox-provider.ts';

warnUnreachable('oracle on real instances');

describe.skipIf(dockerSkipReason || reachableInstances.length === 0)('oracle setting on real SWE-bench instances', () => {
  it.each(reachableInstances.map((t) => [t.instance_id, t] as const))(
    '%s: the reference edits resolve, an edit that matches nothing is refused',
    async (_id, task) => {
      const engine = new DockerEngine();
      const images = new LocalImages({ engine, envs: await loadEnvRegistry(), sources });
      const {
        examples: [ex],
      } = await buildOracleExamples({ sandboxes: new DockerSandboxProvider({ engine, images }), tasks: [task] });
      for (const path of filesTouchedByPatch(task.patch)) expect(ex!.prompt[1]!.content).toContain(`[start of /testbed/${path}]`);
      const reward = createOutcomeReward(new OutcomeGrader({ sandboxes: new DockerSandboxProvider({ engine, images }), tasks: [task] }));
      expect(await reward(`<think>The reference fix.</think>\n${ex!.target}`, ex!)).toEqual({ reward: 1, status: 'ok', detail: 'resolved' });
      const miss = ex!.target.replace(/<parameter=old_str>/, '<parameter=old_str>#no such text#');
      expect(await reward(`<think>x</think>\n${miss}`, ex!)).toMatchObject({ reward: 0, detail: 'edit_failed' });
    },
    900_000,
  );
});
