// The decoding loop over a step model with a KV cache: each distinct prompt is prefilled once (left-padded in one
// batch), its cache is copied to its n sample rows, then one token per row per step. Finish reasons follow the worker
// (engine.py _generate_batch): eos (EOS sampled, kept in token_ids), stop (text cut after the first stop string),
// length (max_new_tokens reached).
import type { Completion } from '../protocol.ts';
import type { ChatTokenizer } from './chat-tokenizer.ts';
import { chooseToken, firstStop } from './sampling.ts';

/** What the loop needs from a model: OnnxStepSession, or a test double. */
export interface StepModel<C extends { rows: number }> {
  emptyCache(rows: number): C;
  /** ids [rows, t] and mask [rows, past + t], row-major; the last position's logits [rows * vocab]. */
  step(ids: number[], mask: number[], cache: C): Promise<{ logits: Float32Array; cache: C }>;
  selectRows(cache: C, index: readonly number[]): C;
}

export interface DecodeOptions {
  n: number;
  maxNewTokens: number;
  temperature: number;
  topP: number;
  stop: readonly string[];
  eosId: number;
  padId: number;
  random: () => number;
}

interface Row {
  ids: number[];
  logprobs: number[];
  finish: Completion['finish_reason'] | null;
  text: string | null;
}

/** n completions for each prompt (token ids, already cut to fit the context), grouped by prompt. */
export async function decodeBatch<C extends { rows: number }>(
  model: StepModel<C>,
  tok: ChatTokenizer,
  prompts: number[][],
  o: DecodeOptions,
): Promise<Completion[][]> {
  const width = Math.max(...prompts.map((p) => p.length));
  const ids: number[] = [];
  const mask: number[] = [];
  for (const p of prompts) {
    // Left padding keeps every row's next token in the last column.
    for (let k = 0; k < width - p.length; k++) ids.push(o.padId), mask.push(0);
    for (const t of p) ids.push(t), mask.push(1);
  }
  const pre = await model.step(ids, mask, model.emptyCache(prompts.length));
  const vocab = pre.logits.length / prompts.length;
  const owner = prompts.flatMap((_, i) => Array<number>(o.n).fill(i)); // row -> prompt
  let active = owner.map((_, r) => r); // rows still decoding, in cache order
  let cache = model.selectRows(pre.cache, owner);
  let logits = repeatRows(pre.logits, vocab, owner);
  let rowMask = owner.map((i) => mask.slice(i * width, (i + 1) * width));
  const rows: Row[] = owner.map(() => ({ ids: [], logprobs: [], finish: null, text: null }));

  for (let stepNo = 0; stepNo < o.maxNewTokens; stepNo++) {
    const next: number[] = [];
    active.forEach((r, k) => {
      const row = rows[r]!;
      const { token, logprob } = chooseToken(logits.subarray(k * vocab, (k + 1) * vocab), o);
      row.ids.push(token);
      row.logprobs.push(logprob);
      next.push(token);
      if (token === o.eosId) row.finish = 'eos';
      else if (o.stop.length > 0) {
        const text = tok.decode(row.ids);
        const hit = firstStop(text, o.stop);
        if (hit !== null) [row.finish, row.text] = ['stop', text.slice(0, hit)];
      }
    });
    if (stepNo === o.maxNewTokens - 1) break;
    const keep = active.map((r, k) => (rows[r]!.finish === null ? k : -1)).filter((k) => k >= 0);
    if (keep.length === 0) break;
    if (keep.length < active.length) {
      // Finished rows leave the batch: the remaining steps cost what the live rows need.
      cache = model.selectRows(cache, keep);
      rowMask = keep.map((k) => rowMask[k]!);
      active = keep.map((k) => active[k]!);
    }
    const feed = keep.map((k) => next[k]!);
    rowMask = rowMask.map((m) => [...m, 1]);
    const out = await model.step(feed, rowMask.flat(), cache);
    cache = out.cache;
    logits = out.logits;
  }
  const completions: Completion[] = rows.map((row) => ({
    text: row.text ?? tok.decode(row.ids),
    token_ids: row.ids,
    logprobs: row.logprobs,
    finish_reason: row.finish ?? 'length',
  }));
  return prompts.map((_, i) => completions.slice(i * o.n, (i + 1) * o.n));
}

/** Rows of a [rows * width] matrix picked by index. */
function repeatRows(data: Float32Array, width: number, index: readonly number[]): Float32Array {
  const out = new Float32Array(index.length * width);
  index.forEach((from, r) => out.set(data.subarray(from * width, (from + 1) * width), r * width));
  return out;
}

/** The last tokens of a prompt when it does not fit beside room new tokens (engine.py _fit_prompt). */
export function fitPrompt(ids: number[], room: number, limit: number | null): number[] {
  if (limit === null || ids.length + room <= limit) return ids;
  const keep = Math.max(1, limit - room);
  return ids.slice(ids.length - keep);
}
