// A Policy whose replies are written in advance: for each prompt, a function of the prompt (and of which call this
// is) gives the text. It implements the real Policy interface, so loops that sample (agent episodes, validation,
// oracle evaluation, policy serve) are tested without torch.
import type { PolicyBackend } from '../config/policy.ts';
import type { ChatMessage, Completion, Policy, PolicyInfo, SampleOptions, SampleResult } from '../policy/types.ts';

export type ScriptedReply = (prompt: ChatMessage[], call: { batch: number; index: number }) => string;

export class ScriptedPolicy implements Policy {
  // Not a registered backend: nothing builds it from a config.
  readonly info: PolicyInfo = { backend: 'scripted' as PolicyBackend, parameters: null, vocab: null, max_seq_len: null, device: 'scripted' };
  /** Prompts per sample() call, in order. */
  readonly batches: number[] = [];

  constructor(private readonly reply: ScriptedReply) {}

  /** n copies of the scripted reply per prompt; a throwing reply function fails the call, as a dead backend would. */
  async sample(prompts: ChatMessage[][], o: SampleOptions): Promise<SampleResult> {
    const batch = this.batches.length;
    this.batches.push(prompts.length);
    const completions = prompts.map((p, index): Completion[] => {
      const text = this.reply(p, { batch, index });
      return Array.from({ length: o.n }, () => ({ text, token_ids: [], logprobs: [], finish_reason: 'stop' as const }));
    });
    return { promptIds: prompts.map(() => []), completions, tokens: 0, seconds: 0 };
  }

  async close(): Promise<void> {}
}

/** The step number an SRL step prompt asks for ("Give step N:"), or undefined. */
export function askedStep(prompt: ChatMessage[]): number | undefined {
  const m = /Give step (\d+):/.exec(prompt.at(-1)?.content ?? '');
  return m ? Number(m[1]) : undefined;
}
