// Reward speed: our SequenceMatcher ratio vs CPython's on the same pairs, both autojunk modes, timed in one run.
// Prints one JSON line per mode: {autojunk, pairs, ts_pairs_per_s, py_pairs_per_s, ratio, mismatches}.
// Run: node bin/run-ts.js bench/reward.bench.ts
import { sequenceRatio } from '../src/srl/difflib.ts';
import { buildPairs, hasPython, PYTHON, runCPython, type Pair } from '../test/srl/similarity-pairs.ts';

function timeOurs(pairs: readonly Pair[], autojunk: boolean): { seconds: number; ratios: number[] } {
  for (const [a, b] of pairs) sequenceRatio(a, b, { autojunk }); // warm-up: JIT and scratch buffers
  const ratios: number[] = new Array(pairs.length);
  const t0 = performance.now();
  for (let i = 0; i < pairs.length; i++) ratios[i] = sequenceRatio(pairs[i]![0], pairs[i]![1], { autojunk });
  return { seconds: (performance.now() - t0) / 1000, ratios };
}

if (!hasPython()) {
  console.error(`${PYTHON} is missing: no CPython to compare with`);
  process.exit(1);
}
const pairs = buildPairs();
for (const autojunk of [false, true]) {
  const ours = timeOurs(pairs, autojunk);
  const py = runCPython(pairs, { autojunk });
  const mismatches = ours.ratios.filter((r, i) => !Object.is(r, py.ratios[i])).length;
  const ts = pairs.length / ours.seconds;
  const pyRate = pairs.length / py.seconds;
  console.log(
    JSON.stringify({
      autojunk,
      pairs: pairs.length,
      ts_pairs_per_s: Math.round(ts),
      py_pairs_per_s: Math.round(pyRate),
      ratio: Number((ts / pyRate).toFixed(2)),
      mismatches,
    }),
  );
}
