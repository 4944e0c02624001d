// The onnx backend's pure parts: token choice, stop strings, prompt cuts, and the decoding loop over a scripted step
// model (rows that finish leave the batch; the others keep their own cache rows).
import { describe, expect, it } from 'vitest';
import { tinyByteTokenizer } from '../../../src/policy/onnx/chat-tokenizer.ts';
import { decodeBatch, fitPrompt, type StepModel } from '../../../src/policy/onnx/generate.ts';
import { argmax, chooseToken, firstStop, logSoftmax, sampleTopP, seededRandom } from '../../../src/policy/onnx/sampling.ts';

describe('sampling', () => {
  it('seededRandom: same seed, same stream, in [0, 1)', () => {
    const a = seededRandom(3);
    const b = seededRandom(3);
    const xs = Array.from({ length: 100 }, () => a());
    expect(xs).toEqual(Array.from({ length: 100 }, () => b()));
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(seededRandom(4)()).not.toBe(xs[0]);
  });

  it('greedy reads log_softmax(logits); ties go to the first; temperature scales the log-probs', () => {
    expect(argmax([1, 3, 3, 0])).toBe(1);
    const g = chooseToken([0, Math.log(3)], { temperature: 0, topP: 1, random: () => 0.5 });
    expect(g.token).toBe(1);
    expect(g.logprob).toBeCloseTo(Math.log(0.75), 12);
    expect(logSoftmax([0, Math.log(3)], 0.5)[1]).toBeCloseTo(Math.log(0.9), 12);
    const t = chooseToken([0, Math.log(3)], { temperature: 0.5, topP: 1, random: () => 0.95 });
    expect(t.token).toBe(1);
    expect(t.logprob).toBeCloseTo(Math.log(0.9), 12);
    expect(chooseToken([0, Math.log(3)], { temperature: 0.5, topP: 1, random: () => 0.05 })).toMatchObject({ token: 0 });
  });

  it('top_p keeps the head whose mass before each token is within top_p; the top token always stays', () => {
    const probs = logSoftmax([Math.log(0.5), Math.log(0.3), Math.log(0.2)], 1).map(Math.exp);
    const draws = (topP: number) => new Set(Array.from({ length: 200 }, (_, i) => sampleTopP(probs, topP, () => (i + 0.5) / 200)));
    expect(draws(1e-9)).toEqual(new Set([0]));
    expect(draws(0.45)).toEqual(new Set([0]));
    expect(draws(0.55)).toEqual(new Set([0, 1]));
    expect(draws(0.85)).toEqual(new Set([0, 1, 2]));
    expect(draws(1)).toEqual(new Set([0, 1, 2]));
  });

  it('firstStop: the stop string that ends first, its end index', () => {
    expect(firstStop('ab</x>cd</y>', ['</y>', '</x>'])).toBe(6);
    expect(firstStop('abc', ['zz'])).toBeNull();
    expect(firstStop('aXYb', ['XYb', 'XY'])).toBe(3);
  });

  it('fitPrompt keeps the last tokens, leaving room for the completion', () => {
    expect(fitPrompt([1, 2, 3, 4, 5], 2, 5)).toEqual([3, 4, 5]);
    expect(fitPrompt([1, 2, 3], 2, 5)).toEqual([1, 2, 3]);
    expect(fitPrompt([1, 2, 3], 9, 5)).toEqual([3]);
    expect(fitPrompt([1, 2, 3], 9, null)).toEqual([1, 2, 3]);
  });
});

// Byte tokens 65.. ("A".."D"); the scripted model predicts last + 1, and EOS (257) after "D".
const EOS = 257;
type Cache = { rows: number; last: number[] };
const scripted: StepModel<Cache> = {
  emptyCache: (rows) => ({ rows, last: Array<number>(rows).fill(-1) }),
  async step(ids, _mask, cache) {
    const t = ids.length / cache.rows;
    const last = cache.last.map((_, r) => ids[r * t + t - 1]!);
    const logits = new Float32Array(cache.rows * 259);
    last.forEach((tok, r) => (logits[r * 259 + (tok >= 68 ? EOS : tok + 1)] = 10));
    return { logits, cache: { rows: cache.rows, last } };
  },
  selectRows: (cache, index) => ({ rows: index.length, last: index.map((i) => cache.last[i]!) }),
};

describe('decodeBatch', () => {
  const o = { n: 2, maxNewTokens: 10, temperature: 0, topP: 1, stop: [], eosId: EOS, padId: 258, random: () => 0 };

  it('rows end at EOS at different steps; each keeps its own continuation', async () => {
    const out = await decodeBatch(scripted, tinyByteTokenizer, [[65], [256, 67]], o);
    expect(out.map((g) => g.map((c) => [c.text, c.finish_reason, c.token_ids.length]))).toEqual([
      [['BCD', 'eos', 4], ['BCD', 'eos', 4]],
      [['D', 'eos', 2], ['D', 'eos', 2]],
    ]);
  });

  it('stop strings cut the text after the stop; max_new_tokens ends with length', async () => {
    const stop = await decodeBatch(scripted, tinyByteTokenizer, [[65]], { ...o, n: 1, stop: ['C'] });
    expect(stop[0]![0]).toMatchObject({ text: 'BC', finish_reason: 'stop', token_ids: [66, 67] });
    const len = await decodeBatch(scripted, tinyByteTokenizer, [[65]], { ...o, n: 1, maxNewTokens: 2 });
    expect(len[0]![0]).toMatchObject({ text: 'BC', finish_reason: 'length' });
  });
});

describe('topPThreshold', () => {
  it('the quickselect over the candidates gives the cut of a full sort on peaked, flat and tied distributions', async () => {
    const { topPThreshold } = await import('../../../src/policy/onnx/sampling.ts');
    const r = seededRandom(11);
    const norm = (xs: number[]) => Float64Array.from(xs, (x) => x / xs.reduce((s, y) => s + y, 0));
    const sortedWay = (probs: Float64Array, topP: number) => {
      const sorted = [...probs].sort((a, b) => b - a);
      let cum = 0;
      let t = Infinity;
      for (const p of sorted) {
        if (cum > topP) break;
        t = p;
        cum += p;
      }
      return t;
    };
    const cases = [
      norm(Array.from({ length: 300 }, () => r())), // flat: every token a candidate
      norm(Array.from({ length: 300 }, (_, i) => Math.exp(-i / 3) * (1 + r()))), // peaked: few candidates
      norm([4, 2, 2, 1, 1, 1]), // ties
    ];
    for (const probs of cases)
      for (const topP of [0.1, 0.5, 0.9, 0.95, 0.999]) expect(topPThreshold(probs, topP)).toBe(sortedWay(probs, topP));
  });
});

describe('tinyByteTokenizer', () => {
  it("decodes as Python's bytes.decode(errors='replace'): one U+FFFD per maximal invalid subpart; specials dropped", () => {
    const cases: [number[], string][] = [
      [[0xe2, 0x9c, 0x41, 0x93], '\uFFFDA\uFFFD'],
      [[0xed, 0xa0, 0x80], '\uFFFD\uFFFD\uFFFD'],
      [[0xf4, 0x90, 0x80, 0x80], '\uFFFD\uFFFD\uFFFD\uFFFD'],
      [[0xe0, 0x80, 0xaf], '\uFFFD\uFFFD\uFFFD'],
      [[104, 0xc3, 0xa9, 257, 0xe2], 'hé\uFFFD'],
    ];
    for (const [ids, text] of cases) expect(tinyByteTokenizer.decode(ids)).toBe(text);
  });

  it('renders the tiny chat template after BOS', () => {
    const ids = tinyByteTokenizer.encodePrompt([{ role: 'user', content: 'hé' }]);
    expect(ids[0]).toBe(256);
    expect(Buffer.from(ids.slice(1)).toString('utf8')).toBe('<|user|>\nhé\n<|assistant|>\n');
  });
});
