// Choosing the next token from one row of logits, as the worker does (engine.py _generate_batch): temperature 0 is
// greedy over log_softmax(logits); otherwise log_softmax(logits / temperature), top-p filtered, sampled. The log-prob
// reported is the chosen token's under the temperature-scaled distribution before the top-p cut.
import { mulberry32 } from '../../util/random.ts';

/** A seeded 32-bit PRNG (mulberry32): uniform floats in [0, 1). */
export const seededRandom = mulberry32;

/** log_softmax(row / temperature) in float64 (temperature 0 means 1: greedy reads the plain distribution). */
export function logSoftmax(row: ArrayLike<number>, temperature: number): Float64Array {
  const scale = temperature === 0 ? 1 : 1 / temperature;
  const out = new Float64Array(row.length);
  let max = -Infinity;
  for (let i = 0; i < row.length; i++) {
    out[i] = row[i]! * scale;
    if (out[i]! > max) max = out[i]!;
  }
  let sum = 0;
  for (let i = 0; i < out.length; i++) sum += Math.exp(out[i]! - max);
  const lse = max + Math.log(sum);
  for (let i = 0; i < out.length; i++) out[i] = out[i]! - lse;
  return out;
}

/** Index of the largest value (the first of ties, as torch.argmax). */
export function argmax(row: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < row.length; i++) if (row[i]! > row[best]!) best = i;
  return best;
}

/**
 * Samples a token from probabilities restricted to the head of cumulative probability top_p (the top token always
 * stays); tokens tied with the last one kept stay too.
 */
export function sampleTopP(probs: Float64Array, topP: number, random: () => number): number {
  const threshold = topP < 1 ? topPThreshold(probs, topP) : 0;
  let total = 0;
  for (let i = 0; i < probs.length; i++) if (probs[i]! >= threshold) total += probs[i]!;
  let u = random() * total;
  let last = 0;
  for (let i = 0; i < probs.length; i++) {
    if (probs[i]! < threshold) continue;
    last = i;
    u -= probs[i]!;
    if (u < 0) return i;
  }
  return last;
}

/**
 * The smallest probability kept: walking down from the top, a token is dropped once the mass before it exceeds top_p,
 * so the last token kept is where the cumulative mass first exceeds top_p. A weighted quickselect finds it in linear
 * time, over the tokens with p >= (1 - top_p) / V only (the others hold less than 1 - top_p in all, so the walk ends
 * among these). Sorting the vocabulary per token and row was the sampler's main cost.
 */
export function topPThreshold(probs: Float64Array, topP: number): number {
  const floor = (1 - topP) / probs.length;
  let cur = pick(probs, (p) => p >= floor);
  let above = 0; // mass of the tokens known to rank above every token in cur
  for (;;) {
    const pivot = cur[cur.length >> 1]!;
    let greater = 0;
    let equal = 0;
    let nGreater = 0;
    let nLess = 0;
    for (let i = 0; i < cur.length; i++) {
      const p = cur[i]!;
      if (p > pivot) (greater += p), nGreater++;
      else if (p === pivot) equal += p;
      else nLess++;
    }
    if (above + greater > topP) cur = pick(cur, (p) => p > pivot, nGreater);
    else if (above + greater + equal > topP || nLess === 0) return pivot;
    else {
      above += greater + equal;
      cur = pick(cur, (p) => p < pivot, nLess);
    }
  }
}

/** The values of xs that pass keep (count: how many do, when known). */
function pick(xs: Float64Array, keep: (x: number) => boolean, count?: number): Float64Array {
  if (count === undefined) {
    count = 0;
    for (let i = 0; i < xs.length; i++) if (keep(xs[i]!)) count++;
  }
  const out = new Float64Array(count);
  for (let i = 0, k = 0; i < xs.length; i++) if (keep(xs[i]!)) out[k++] = xs[i]!;
  return out;
}

/**
 * The next token and its log-prob for one row of logits. Only the chosen token's log-prob is needed, so no log-prob
 * row is built: greedy is an argmax and a log-sum-exp; sampling normalises one probability row.
 */
export function chooseToken(
  logits: ArrayLike<number>,
  o: { temperature: number; topP: number; random: () => number },
): { token: number; logprob: number } {
  const scale = o.temperature === 0 ? 1 : 1 / o.temperature;
  let max = -Infinity;
  let best = 0;
  for (let i = 0; i < logits.length; i++) {
    const v = logits[i]! * scale;
    if (v > max) (max = v), (best = i); // the first of ties, as torch.argmax
  }
  if (o.temperature === 0) {
    let sum = 0;
    for (let i = 0; i < logits.length; i++) sum += Math.exp(logits[i]! - max);
    return { token: best, logprob: -Math.log(sum) };
  }
  const probs = new Float64Array(logits.length);
  let sum = 0;
  for (let i = 0; i < logits.length; i++) sum += probs[i] = Math.exp(logits[i]! * scale - max);
  for (let i = 0; i < probs.length; i++) probs[i] = probs[i]! / sum;
  const token = sampleTopP(probs, o.topP, o.random);
  return { token, logprob: logits[token]! * scale - max - Math.log(sum) };
}

/** End index (stop string included) of the earliest-ending stop string in text, or null (engine.py _first_stop). */
export function firstStop(text: string, stops: readonly string[]): number | null {
  let best: number | null = null;
  for (const s of stops) {
    const i = text.indexOf(s);
    if (i >= 0 && (best === null || i + s.length < best)) best = i + s.length;
  }
  return best;
}
