// Records the scripted expert (src/testing/scripted-expert.ts) on bundled tasks, in real sandboxes, and saves the
// normalized trajectories as test fixtures: `node bin/run-ts.js scripts/record-expert-trajectories.ts [task ...]`.
import { resolve } from 'node:path';
import { loadEnvRegistry } from '../src/config/envs.ts';
import { LocalImages } from '../src/harness/image-provider.ts';
import { DockerEngine } from '../src/sandbox/docker-engine.ts';
import { loadBundledTasks } from '../src/tasks/bundled.ts';
import { recordExpertTrajectories } from '../src/testing/record-expert.ts';

const wanted = process.argv.slice(2).length ? process.argv.slice(2) : ['swe-srl__confparse-1', 'swe-srl__durations-1'];
const engine = new DockerEngine();
await recordExpertTrajectories({
  tasks: (await loadBundledTasks()).filter((t) => wanted.includes(t.instance_id)),
  engine,
  images: new LocalImages({ engine, envs: await loadEnvRegistry() }),
  outDir: resolve(import.meta.dirname, '../test/fixtures/trajectories'),
  onDone: (r) => console.log(JSON.stringify(r)),
});
