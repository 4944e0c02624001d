// A chat-completions choice as our Completion. Servers strip the stop string from the text (OpenAI, vLLM, SGLang by
// default) while our completions keep it, and "stop" covers both a stop string and EOS; the extensions that say
// which (vLLM's stop_reason, SGLang's matched_stop) decide. A server that says neither is taken at its word.
import type { Completion } from '../protocol.ts';
import type { Choice } from './wire.ts';

/** The Completion of one choice, for a request made with these stop strings. */
export function completionFromChoice(c: Choice, stop: readonly string[]): Completion {
  let text = c.message.content ?? '';
  const base = { token_ids: c.token_ids ?? [], logprobs: [] as number[] };
  if (c.finish_reason === 'length') return { text, ...base, finish_reason: 'length' };
  const matched = 'stop_reason' in c ? c.stop_reason : (c as { matched_stop?: unknown }).matched_stop;
  if (typeof matched === 'string' && stop.includes(matched)) {
    if (!text.endsWith(matched)) text += matched;
    return { text, ...base, finish_reason: 'stop' };
  }
  // The server kept the stop string (vLLM's include_stop_str_in_output, SGLang's no_stop_trim, our own server).
  if (stop.some((s) => text.endsWith(s))) return { text, ...base, finish_reason: 'stop' };
  if (matched === null || typeof matched === 'number') return { text, ...base, finish_reason: 'eos' };
  return { text, ...base, finish_reason: stop.length > 0 ? 'stop' : 'eos' };
}
