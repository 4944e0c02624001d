// Chat completions <-> policy sampling, as pure functions: a validated request becomes the chat prompt and
// SampleOptions; the policy's completions become the OpenAI reply (stop strings stripped as OpenAI and vLLM do,
// vLLM's stop_reason, include_stop_str_in_output and return_token_ids honoured).
import type { ChatRequest, WireMessage } from '../openai/wire.ts';
import type { ChatMessage, Completion, SampleOptions } from '../types.ts';

export interface SampleRequest {
  messages: ChatMessage[];
  opts: SampleOptions;
  /**
   * Whether the request may share one sample call with others: greedy ones, and sampled ones without a seed. A
   * seeded sampled request runs alone, so the same seed gives the same reply whatever else is in flight.
   */
  batchable: boolean;
}

/** Server-side defaults for what a request leaves out. */
export interface ChatDefaults {
  maxNewTokens: number;
  /** The seed of a request that gives none (a fresh random one per request outside tests). */
  seed: () => number;
}

/** The policy's chat prompt: developer counts as system, tool results as user; text parts are joined. */
export function toChatMessages(messages: WireMessage[]): ChatMessage[] {
  return messages.map((m) => ({
    role: m.role === 'developer' ? 'system' : m.role === 'tool' ? 'user' : m.role,
    content: typeof m.content === 'string' ? m.content : (m.content ?? []).map((p) => p.text).join(''),
  }));
}

/** What the policy is asked for one chat request. */
export function toSampleRequest(body: ChatRequest, d: ChatDefaults): SampleRequest {
  const stop = body.stop == null ? [] : typeof body.stop === 'string' ? [body.stop] : body.stop;
  const seeded = body.seed != null;
  return {
    messages: toChatMessages(body.messages),
    opts: {
      n: body.n,
      maxNewTokens: body.max_completion_tokens ?? body.max_tokens ?? d.maxNewTokens,
      temperature: body.temperature,
      topP: body.top_p,
      stop,
      seed: seeded ? Math.abs(body.seed!) : d.seed(),
    },
    batchable: body.temperature === 0 || !seeded,
  };
}

export interface ChatReplyInput {
  id: string;
  model: string;
  created: number;
  promptIds: number[];
  completions: Completion[];
  stop: string[];
  includeStop: boolean;
  returnTokenIds: boolean;
}

/** The chat.completion object for the policy's completions of one request. */
export function toChatResponse(r: ChatReplyInput) {
  const completionTokens = r.completions.reduce((a, c) => a + c.token_ids.length, 0);
  return {
    id: r.id,
    object: 'chat.completion' as const,
    created: r.created,
    model: r.model,
    choices: r.completions.map((c, index) => {
      const hit = c.finish_reason === 'stop' ? r.stop.find((s) => c.text.endsWith(s)) : undefined;
      const content = hit !== undefined && !r.includeStop ? c.text.slice(0, c.text.length - hit.length) : c.text;
      return {
        index,
        message: { role: 'assistant' as const, content },
        logprobs: null,
        finish_reason: c.finish_reason === 'length' ? ('length' as const) : ('stop' as const),
        stop_reason: hit ?? null,
        ...(r.returnTokenIds ? { token_ids: c.token_ids } : {}),
      };
    }),
    usage: { prompt_tokens: r.promptIds.length, completion_tokens: completionTokens, total_tokens: r.promptIds.length + completionTokens },
    ...(r.returnTokenIds ? { prompt_token_ids: r.promptIds } : {}),
  };
}
