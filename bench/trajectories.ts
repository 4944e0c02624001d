// Parse speed of the trajectory loader over the shared real files: prints JSON (files, trajectories, steps, ms, MB/s).
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadTrajectories } from '../src/trajectories/load.ts';

const dir = resolve(fileURLToPath(new URL('..', import.meta.url)), '../shared/data/trajectories');
const rounds = Number(process.argv[2] ?? 20);
await loadTrajectories([dir]);
const t0 = performance.now();
let result = await loadTrajectories([dir]);
for (let i = 1; i < rounds; i++) result = await loadTrajectories([dir]);
const ms = (performance.now() - t0) / rounds;
let bytes = 0;
for (const f of result.files) bytes += (await stat(f.file)).size;
console.log(
  JSON.stringify({
    files: result.files.length,
    trajectories: result.trajectories.length,
    steps: result.trajectories.reduce((n, t) => n + t.steps.length, 0),
    errors: result.errors.length,
    msPerLoad: Number(ms.toFixed(2)),
    mbPerSecond: Number((bytes / 1e6 / (ms / 1000)).toFixed(1)),
  }),
);
