// A Policy double that answers each prompt with its last message reversed (one "token" per character), records
// every sample call, and can hold calls until released, so tests can see what the callers batch together.
import type { ChatMessage, Completion, Policy, PolicyInfo, SampleOptions, SampleResult } from '../policy/types.ts';

export class EchoPolicy implements Policy {
  readonly info: PolicyInfo = { backend: 'tiny', parameters: null, vocab: null, max_seq_len: null, device: 'echo' };
  /** The prompts and options of every sample call, in order. */
  readonly calls: Array<{ prompts: ChatMessage[][]; opts: SampleOptions }> = [];
  private gate: Promise<void> = Promise.resolve();
  private open: () => void = () => undefined;
  closed = false;

  /** Holds sample calls until release(). */
  hold(): void {
    this.gate = new Promise<void>((r) => (this.open = r));
  }

  release(): void {
    this.open();
  }

  async sample(prompts: ChatMessage[][], opts: SampleOptions): Promise<SampleResult> {
    this.calls.push({ prompts, opts });
    await this.gate;
    const completions = prompts.map((p) =>
      Array.from({ length: opts.n }, (_, i): Completion => {
        const text = [...(p.at(-1)?.content ?? '')].reverse().join('').slice(0, opts.maxNewTokens) + (i ? String(i) : '');
        return { text, token_ids: [...text].map((c) => c.charCodeAt(0)), logprobs: [...text].map(() => 0), finish_reason: 'length' };
      }),
    );
    return {
      promptIds: prompts.map((p) => [...(p.at(-1)?.content ?? '')].map((c) => c.charCodeAt(0))),
      completions,
      tokens: completions.flat().reduce((a, c) => a + c.token_ids.length, 0),
      seconds: 0,
    };
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
