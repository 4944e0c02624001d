import { describe, expect, it } from 'vitest';
import { SampleBatcher, takeBatch, type BatchJob } from '../../src/policy/serve/batcher.ts';
import { toChatResponse, toSampleRequest } from '../../src/policy/serve/chat.ts';
import { ChatRequestSchema } from '../../src/policy/openai/wire.ts';
import { EchoPolicy } from '../../src/testing/echo-policy.ts';

const opts = { n: 1, maxNewTokens: 8, temperature: 0, topP: 1, stop: [], seed: 0 };
const job = (content: string, o: Partial<BatchJob['opts']> = {}, batchable = true): BatchJob => ({ messages: [{ role: 'user', content }], opts: { ...opts, ...o }, batchable });

describe('takeBatch', () => {
  it('takes the first job and the later batchable ones with its parameters, up to max, keeping the order of the rest', () => {
    const q = [job('a'), job('b', { temperature: 1 }), job('c'), job('d', {}, false), job('e'), job('f')];
    const { batch, rest } = takeBatch(q, 3);
    expect(batch.map((j) => j.messages[0]!.content)).toEqual(['a', 'c', 'e']);
    expect(rest.map((j) => j.messages[0]!.content)).toEqual(['b', 'd', 'f']);
  });
  it('a job that must run alone runs alone; an empty queue gives nothing', () => {
    expect(takeBatch([job('a', {}, false), job('b')], 8).batch).toHaveLength(1);
    expect(takeBatch([], 8)).toEqual({ batch: [], rest: [] });
  });
});

describe('SampleBatcher', () => {
  it('runs one call at a time and batches what queued meanwhile; each caller gets its own completions', async () => {
    const policy = new EchoPolicy();
    const b = new SampleBatcher(policy, 32);
    policy.hold();
    const first = b.submit(job('one'));
    const later = ['two', 'three', 'four'].map((c) => b.submit(job(c)));
    const seeded = b.submit(job('five', { temperature: 1, seed: 4 }, false));
    policy.release();
    expect((await first).completions[0]!.text).toBe('eno');
    expect((await Promise.all(later)).map((r) => r.completions[0]!.text)).toEqual(['owt', 'eerht', 'ruof']);
    expect((await seeded).completions[0]!.text).toBe('evif');
    expect(policy.calls.map((c) => c.prompts.length)).toEqual([1, 3, 1]);
    expect(b.stats).toEqual({ calls: 3, prompts: 5 });
  });
  it('a failed call fails every request it carried, and the next call still runs', async () => {
    const policy = new EchoPolicy();
    const b = new SampleBatcher(policy, 32);
    policy.sample = async () => {
      throw new Error('worker died');
    };
    await expect(b.submit(job('x'))).rejects.toThrow('worker died');
    policy.sample = EchoPolicy.prototype.sample.bind(policy);
    expect((await b.submit(job('ok'))).completions[0]!.text).toBe('ko');
  });
});

describe('chat request and reply mapping', () => {
  it('maps roles, text parts, stop and token limits; unseeded or greedy requests may be batched', () => {
    const body = ChatRequestSchema.parse({
      model: 'm',
      messages: [{ role: 'developer', content: 'sys' }, { role: 'user', content: [{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }] }, { role: 'assistant', content: null }, { role: 'tool', content: 'out' }],
      stop: '</f>',
      max_tokens: 5,
      max_completion_tokens: 7,
      temperature: 0.5,
    });
    const r = toSampleRequest(body, { maxNewTokens: 99, seed: () => 42 });
    expect(r.messages).toEqual([{ role: 'system', content: 'sys' }, { role: 'user', content: 'ab' }, { role: 'assistant', content: '' }, { role: 'user', content: 'out' }]);
    expect(r.opts).toEqual({ n: 1, maxNewTokens: 7, temperature: 0.5, topP: 1, stop: ['</f>'], seed: 42 });
    expect(r.batchable).toBe(true);
    expect(toSampleRequest({ ...body, seed: 3 }, { maxNewTokens: 99, seed: () => 42 }).batchable).toBe(false);
    expect(toSampleRequest({ ...body, seed: 3, temperature: 0 }, { maxNewTokens: 99, seed: () => 42 }).batchable).toBe(true);
  });
  it('strips the stop string unless asked to keep it, and counts the prompt once for n choices', () => {
    const completions = [
      { text: 'ls</f>', token_ids: [1, 2, 3], logprobs: [], finish_reason: 'stop' as const },
      { text: 'cat', token_ids: [4, 5], logprobs: [], finish_reason: 'eos' as const },
    ];
    const base = { id: 'x', model: 'm', created: 1, promptIds: [9, 9, 9, 9], completions, stop: ['</f>'], includeStop: false, returnTokenIds: false };
    const r = toChatResponse(base);
    expect(r.choices.map((c) => [c.message.content, c.finish_reason, c.stop_reason])).toEqual([['ls', 'stop', '</f>'], ['cat', 'stop', null]]);
    expect(r.usage).toEqual({ prompt_tokens: 4, completion_tokens: 5, total_tokens: 9 });
    expect(toChatResponse({ ...base, includeStop: true }).choices[0]!.message.content).toBe('ls</f>');
  });
});
