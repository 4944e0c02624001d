// Step examples from a Parquet export of SWE-smith trajectories, read row group by row group: rows/s, examples/s
// and the peak memory (RSS). The file (default 20,000 rows, varied from the shared SWE-smith rows: ids, models,
// resolution, cut after a random number of turns, messages kept as a JSON string as published) is written with
// pyarrow to a temp folder, never committed. Writes bench/results/parquet-trajectories.json.
//   node bin/run-ts.js bench/parquet-trajectories.bench.ts [ROWS] [ROW_GROUP_SIZE]
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultPython } from '../src/policy/python-env.ts';
import { buildDataset } from '../src/srl/dataset.ts';
import { parquetBatches } from '../src/trajectories/datasets/load-parquet.ts';
import { writeJsonAtomic } from '../src/util/atomic.ts';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const rowsWanted = Number(process.argv[2] ?? 20_000);
const groupSize = Number(process.argv[3] ?? 500);

// Streams the varied rows to Parquet one row group at a time, so the writer's memory stays small too.
const MAKE = `import json, random, sys
import pyarrow as pa, pyarrow.parquet as pq
src, dst, n, group = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
base = json.load(open(src))
models = ["claude-3-7-sonnet-20250219", "claude-3-5-sonnet-20241022", "gpt-4o-2024-08-06"]
rng = random.Random(7)
schema = pa.schema([(k, pa.bool_() if k == "resolved" else pa.string()) for k in ["messages", "instance_id", "resolved", "model", "traj_id", "patch", "id"]])
with pq.ParquetWriter(dst, schema, compression="zstd") as w:
    for start in range(0, n, group):
        rows = []
        for i in range(start, min(n, start + group)):
            r = base[i % len(base)]
            msgs = r["messages"]
            keep = 2 + 2 * rng.randint(2, max(2, (len(msgs) - 2) // 2))
            rows.append({
                "messages": json.dumps(msgs[:keep]),
                "instance_id": f"{r['instance_id']}.v{i}",
                "resolved": i % 3 != 0,
                "model": models[i % len(models)],
                "traj_id": f"{r['traj_id']}.v{i}",
                "patch": r["patch"],
                "id": f"{r['id']}.v{i}",
            })
        w.write_table(pa.Table.from_pylist(rows, schema=schema))
`;

const dir = await mkdtemp(join(tmpdir(), 'swe-srl-bench-parquet-'));
try {
  const file = join(dir, 'swe-smith-trajectories.parquet');
  const t0 = performance.now();
  execFileSync(defaultPython(), ['-c', MAKE, resolve(root, '../shared/data/trajectories/swe-smith/rows.json'), file, String(rowsWanted), String(groupSize)], {
    stdio: 'inherit',
  });
  const makeMs = performance.now() - t0;

  let peakRss = process.memoryUsage().rss;
  const sample = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 25);
  const rssBefore = process.memoryUsage().rss;
  let rows = 0;
  let trajectories = 0;
  let errors = 0;
  let examples = 0;
  let steps = 0;
  let groups = 0;
  const t1 = performance.now();
  for await (const b of parquetBatches(file)) {
    groups++;
    rows += b.rowEnd - b.rowStart;
    trajectories += b.trajectories.length;
    errors += b.errors.length;
    const d = buildDataset({ trajectories: b.trajectories, options: { contextSteps: 2, maxObservationChars: 4000, dropSubmit: false, mapPaths: true, dropUnresolved: false } });
    examples += d.examples.length;
    steps += b.trajectories.reduce((n, t) => n + t.steps.length, 0);
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }
  const ms = performance.now() - t1;
  clearInterval(sample);

  const result = {
    what: 'srl step examples from a Parquet export of SWE-smith trajectories, streamed row group by row group',
    note: 'rows varied from 3 shared rows, so zstd shrinks the file far more than a real export; decoding and parsing work is per row as usual',
    date: new Date().toISOString(),
    node: process.version,
    cpus: (await import('node:os')).cpus().length,
    file: { rows, rowGroups: groups, rowGroupSize: groupSize, mb: Number(((await stat(file)).size / 2 ** 20).toFixed(1)), codec: 'zstd', makeSeconds: Number((makeMs / 1000).toFixed(1)) },
    trajectories,
    errors,
    steps,
    examples,
    seconds: Number((ms / 1000).toFixed(1)),
    rowsPerSecond: Math.round(rows / (ms / 1000)),
    examplesPerSecond: Math.round(examples / (ms / 1000)),
    rssBeforeMB: Math.round(rssBefore / 2 ** 20),
    peakRssMB: Math.round(peakRss / 2 ** 20),
    maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
  };
  console.log(JSON.stringify(result, null, 2));
  if (rowsWanted === 20_000) await writeJsonAtomic(join(root, 'bench/results/parquet-trajectories.json'), result);
} finally {
  await rm(dir, { recursive: true, force: true });
}
