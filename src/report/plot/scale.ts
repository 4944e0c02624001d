// Linear scales and "nice" tick values for the SVG charts (pure).

export interface Scale {
  /** Data value -> pixel. */
  (value: number): number;
  domain: [number, number];
  ticks: number[];
}

/** Tick values at 1, 2 or 5 times a power of ten covering [lo, hi], about `count` of them. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [];
  if (lo === hi) return [lo];
  const raw = (hi - lo) / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(roundTo(v, step));
  return out;
}

/** A scale from the data's extent (padded to nice ticks; a flat or empty extent widened by one unit). */
export function linearScale(o: { values: readonly number[]; range: [number, number]; zero?: boolean; count?: number }): Scale {
  const finite = o.values.filter(Number.isFinite);
  let lo = finite.length ? Math.min(...finite) : 0;
  let hi = finite.length ? Math.max(...finite) : 1;
  if (o.zero) [lo, hi] = [Math.min(0, lo), Math.max(0, hi)];
  if (lo === hi && o.zero && lo === 0) hi = 1;
  else if (lo === hi) [lo, hi] = [lo - (Math.abs(lo) || 1) * 0.5, hi + (Math.abs(hi) || 1) * 0.5];
  // Widen to whole tick steps so the first and last ticks sit on the frame.
  const t0 = niceTicks(lo, hi, o.count);
  const step = t0.length > 1 ? t0[1]! - t0[0]! : 0;
  if (step > 0) [lo, hi] = [Math.floor(lo / step + 1e-9) * step, Math.ceil(hi / step - 1e-9) * step];
  const ticks = niceTicks(lo, hi, o.count);
  const [r0, r1] = o.range;
  const f = ((v: number) => r0 + ((v - lo) / (hi - lo)) * (r1 - r0)) as Scale;
  f.domain = [lo, hi];
  f.ticks = ticks;
  return f;
}

/** A tick label: integers as they are, others with up to 3 significant digits, large and tiny ones in e-notation. */
export function formatTick(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) return v.toExponential(1);
  if (Number.isInteger(v)) return String(v);
  return String(Number(v.toPrecision(3)));
}

function roundTo(v: number, step: number): number {
  const digits = Math.max(0, -Math.floor(Math.log10(step)) + 1);
  return Number(v.toFixed(Math.min(digits, 15)));
}
