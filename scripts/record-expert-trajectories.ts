// Records the scripted expert (src/testing/scripted-expert.ts) on bundled tasks, in real sandboxes, and saves the
// normalized trajectories as test fixtures: `node bin/run-ts.js scripts/record-expert-trajectories.ts [task ...]`.
import { join, resolve } from 'node:path';
import { loadEnvRegistry } from '../src/config/envs.ts';
import { LocalImages } from '../src/harness/image-provider.ts';
import { DockerEngine } from '../src/sandbox/docker-engine.ts';
import { createDockerSandbox } from '../src/sandbox/docker-sandbox.ts';
import { loadBundledTasks } from '../src/tasks/bundled.ts';
import { recordExpert } from '../src/testing/scripted-expert.ts';
import { createToolContext } from '../src/tools/context.ts';
import { serializeTrajectory } from '../src/trajectories/schema.ts';
import { writeFileAtomic } from '../src/util/atomic.ts';

const OUT = resolve(import.meta.dirname, '../test/fixtures/trajectories');
const wanted = process.argv.slice(2).length ? process.argv.slice(2) : ['swe-srl__confparse-1', 'swe-srl__durations-1'];
const engine = new DockerEngine();
const images = new LocalImages({ engine, envs: await loadEnvRegistry() });
for (const task of (await loadBundledTasks()).filter((t) => wanted.includes(t.instance_id))) {
  const image = await images.prepare(task);
  const sandbox = await createDockerSandbox({ engine, ...image });
  try {
    const ctx = createToolContext({ sandbox, session: await sandbox.openSession() });
    const t = await recordExpert({
      ctx,
      instanceId: task.instance_id,
      patch: task.patch,
      testCommand: 'python -m pytest -q -p no:cacheprovider 2>&1 | tail -n 1 | sed -E "s/ in [0-9.]+s//"',
      problemStatement: task.problem_statement,
    });
    await writeFileAtomic(join(OUT, `${task.instance_id}.json`), serializeTrajectory({ ...t, source: { file: `scripted-expert:${task.instance_id}` } }));
    console.log(JSON.stringify({ instance_id: task.instance_id, steps: t.steps.length, submission_bytes: t.submission?.length ?? 0 }));
  } finally {
    await sandbox.close();
  }
}
