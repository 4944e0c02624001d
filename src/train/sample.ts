// Responses of a policy to examples, n per example, in chunks of prompts: what validation scores and what an oracle
// evaluation grades.
import type { Policy } from '../policy/types.ts';
import type { Completion } from '../srl/score-file.ts';
import type { SrlExample } from './examples.ts';

export interface SampleSettings {
  n: number;
  temperature: number;
  topP: number;
  maxNewTokens: number;
  stop: string[];
  seed: number;
}

/** n responses per example, as completions-file rows ({id, response}, line = 1-based row number). */
export async function sampleResponses(o: {
  policy: Policy;
  examples: readonly SrlExample[];
  settings: SampleSettings;
  /** Prompts per generate request. */
  chunk?: number;
  onChunk?: (done: number) => void;
}): Promise<Completion[]> {
  const chunk = o.chunk ?? 16;
  const rows: Completion[] = [];
  for (let i = 0; i < o.examples.length; i += chunk) {
    const part = o.examples.slice(i, i + chunk);
    const s = o.settings;
    const r = await o.policy.sample(
      part.map((e) => e.prompt),
      { n: s.n, temperature: s.temperature, topP: s.topP, maxNewTokens: s.maxNewTokens, stop: s.stop, seed: s.seed + i },
    );
    part.forEach((e, j) => {
      for (const c of r.completions[j] ?? []) rows.push({ id: e.id, response: c.text, line: rows.length + 1 });
    });
    o.onChunk?.(Math.min(i + chunk, o.examples.length));
  }
  return rows;
}
