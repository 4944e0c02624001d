// The openai backend: a sampling-only Policy over any OpenAI-compatible chat-completions server (vLLM, SGLang,
// swe-srl policy serve). One request per prompt (more when the server caps n), at most policy.concurrency in
// flight; the transport (src/policy/openai/http.ts) retries and times out, and every reply is checked with zod.
import { SweSrlError, formatPath } from '../util/errors.ts';
import type { PolicyConfig } from '../config/policy.ts';
import { completionFromChoice } from './openai/choices.ts';
import { OpenAIHttp, badReply } from './openai/http.ts';
import { ChatResponseSchema, ModelListSchema } from './openai/wire.ts';
import type { ChatMessage, Completion, Policy, PolicyInfo, SampleOptions, SampleResult } from './types.ts';

/** Test seams: backoff timing and randomness (defaults: 0.5 s doubling up to 60 s, Math.random). */
export interface OpenAIPolicyDeps {
  backoff?: { baseMs: number; maxMs: number };
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export class OpenAIPolicy implements Policy {
  private constructor(
    private readonly http: OpenAIHttp,
    readonly model: string,
    readonly info: PolicyInfo,
  ) {}

  /** Connects to policy.base_url and checks that it serves policy.model (when the server lists its models). */
  static async create(p: PolicyConfig, deps: OpenAIPolicyDeps = {}): Promise<OpenAIPolicy> {
    for (const [field, value] of [['base_url', p.base_url], ['model', p.model]] as const)
      if (!value)
        throw new SweSrlError({
          code: 'bad_config',
          message: `the openai backend needs policy.${field}`,
          fault: 'user',
          field: `policy.${field}`,
          hint: 'Set policy.base_url (e.g. http://localhost:8000/v1) and policy.model (the served model name).',
        });
    const http = new OpenAIHttp({
      baseUrl: p.base_url!,
      apiKey: process.env[p.api_key_env] || undefined,
      apiKeyEnv: p.api_key_env,
      timeoutMs: p.request_timeout_s * 1000,
      maxRetries: p.max_retries,
      concurrency: p.concurrency,
      ...deps,
    });
    await checkModel(http, p.model!);
    const info: PolicyInfo = { backend: 'openai', parameters: null, vocab: null, max_seq_len: null, device: http.baseUrl, model: p.model };
    return new OpenAIPolicy(http, p.model!, info);
  }

  /** n completions per prompt; token ids only when the server returns them, log-probs never (empty arrays). */
  async sample(prompts: ChatMessage[][], o: SampleOptions): Promise<SampleResult> {
    const t0 = performance.now();
    const per = await Promise.all(prompts.map((messages) => this.samplePrompt(messages, o)));
    return {
      promptIds: per.map((r) => r.promptIds),
      completions: per.map((r) => r.completions),
      tokens: per.reduce((a, r) => a + r.tokens, 0),
      seconds: (performance.now() - t0) / 1000,
    };
  }

  // As many requests as it takes to get n choices: a server may cap n or ignore it. Each round gets its own seed,
  // so that a seeded server does not return the same sample again.
  private async samplePrompt(messages: ChatMessage[], o: SampleOptions) {
    const completions: Completion[] = [];
    let tokens = 0;
    let promptIds: number[] = [];
    for (let round = 0; completions.length < o.n; round++) {
      const want = o.n - completions.length;
      const raw = await this.http.post('/chat/completions', {
        model: this.model,
        messages,
        n: want,
        temperature: o.temperature,
        top_p: o.topP,
        max_tokens: o.maxNewTokens,
        ...(o.stop.length ? { stop: o.stop } : {}),
        seed: o.seed + round,
      });
      const r = ChatResponseSchema.safeParse(raw);
      const url = `${this.http.baseUrl}/chat/completions`;
      if (!r.success) {
        const i = r.error.issues[0]!;
        throw badReply(url, `${formatPath(i.path)}: ${i.message}`);
      }
      if (r.data.choices.length === 0) throw badReply(url, 'no choices');
      const got = [...r.data.choices].sort((a, b) => a.index - b.index).slice(0, want);
      const done = got.map((c) => completionFromChoice(c, o.stop));
      completions.push(...done);
      tokens += r.data.usage?.completion_tokens ?? done.reduce((a, c) => a + c.token_ids.length, 0);
      if (r.data.prompt_token_ids) promptIds = r.data.prompt_token_ids;
    }
    return { completions, tokens, promptIds };
  }

  /** Nothing to free: the server lives on. */
  async close(): Promise<void> {}
}

// A wrong model name fails at start, with the served names; a server without GET /models is trusted.
async function checkModel(http: OpenAIHttp, model: string): Promise<void> {
  let raw: unknown;
  try {
    raw = await http.get('/models');
  } catch (e) {
    if (e instanceof SweSrlError && e.code === 'policy_not_found') return;
    throw e;
  }
  const r = ModelListSchema.safeParse(raw);
  if (!r.success) throw badReply(`${http.baseUrl}/models`, 'not a model list ({data: [{id}]})');
  const ids = r.data.data.map((m) => m.id);
  if (!ids.includes(model))
    throw new SweSrlError({
      code: 'policy_unknown_model',
      message: `${http.baseUrl} does not serve a model named ${JSON.stringify(model)}`,
      fault: 'user',
      field: 'policy.model',
      value: model,
      hint: `Served: ${ids.length ? ids.map((m) => JSON.stringify(m)).join(', ') : '(none)'}; set policy.model to one of them.`,
    });
}
