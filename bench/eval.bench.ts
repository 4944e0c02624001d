// Harness throughput on the bundled tasks: gold predictions with 1 and 2 workers (images built beforehand), and
// the overhead ratio = harness wall time x workers / time spent in the eval scripts (test commands).
// Usage: node bin/run-ts.js bench/eval.bench.ts [--repeat N]  -> JSON on stdout.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadEnvRegistry } from '../src/config/envs.ts';
import { LocalImages } from '../src/harness/image-provider.ts';
import { runEvaluation } from '../src/harness/run-evaluation.ts';
import { DockerEngine } from '../src/sandbox/docker-engine.ts';
import { loadBundledTasks } from '../src/tasks/bundled.ts';
import { DockerSandboxProvider } from '../src/harness/sandbox-provider.ts';

const repeat = Number(process.argv[process.argv.indexOf('--repeat') + 1]) || 2;
const engine = new DockerEngine();
const tasks = await loadBundledTasks();
const images = new LocalImages({ engine, envs: await loadEnvRegistry() });
const t0 = performance.now();
for (const t of tasks) await images.prepare(t);
const prepareS = (performance.now() - t0) / 1000;
const predictions = tasks.map((t) => ({ instance_id: t.instance_id, model_patch: t.patch, model_name_or_path: 'gold' }));

const runs: Array<Record<string, unknown>> = [];
for (const workers of [1, 2]) {
  for (let i = 0; i < repeat; i++) {
    const outDir = await mkdtemp(join(tmpdir(), 'bench-eval-'));
    const { summary } = await runEvaluation({ tasks, predictions, sandboxes: new DockerSandboxProvider({ engine, images }), outDir, runId: 'bench', workers });
    const s = summary.swe_srl;
    runs.push({
      workers,
      instances: tasks.length,
      resolved: summary.resolved_instances,
      wall_s: s.wall_s,
      tests_s: s.tests_s,
      instances_per_min: Math.round((tasks.length / s.wall_s) * 60 * 10) / 10,
      overhead_ratio: s.overhead_ratio,
    });
  }
}
const median = (w: number, k: string) => {
  const v = runs.filter((r) => r.workers === w).map((r) => r[k] as number).sort((a, b) => a - b);
  return v[Math.floor(v.length / 2)];
};
console.log(
  JSON.stringify(
    {
      bench: 'eval',
      tasks: tasks.length,
      images_ready_s: Math.round(prepareS * 10) / 10,
      runs,
      median: {
        workers_1: { wall_s: median(1, 'wall_s'), overhead_ratio: median(1, 'overhead_ratio') },
        workers_2: { wall_s: median(2, 'wall_s'), overhead_ratio: median(2, 'overhead_ratio') },
      },
    },
    null,
    2,
  ),
);
