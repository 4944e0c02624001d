// The OpenAI chat-completions wire format, as zod schemas shared by our client (the openai backend, which checks
// every reply) and our server (swe-srl policy serve, which checks every request). Both sides are lenient about
// fields they do not use, as OpenAI-compatible servers and agent frameworks add their own.
import { z } from 'zod';

/** A message's content: a string, or text parts (other part types are refused: the policy reads text only). */
const ContentSchema = z.union([
  z.string(),
  z.null(),
  z.array(z.object({ type: z.literal('text'), text: z.string() }).passthrough()),
]);

export const WireMessageSchema = z
  .object({
    role: z.enum(['system', 'developer', 'user', 'assistant', 'tool']),
    content: ContentSchema.optional(),
  })
  .passthrough();
export type WireMessage = z.infer<typeof WireMessageSchema>;

/** POST /chat/completions, as our server accepts it (the fields it uses; others are ignored). */
export const ChatRequestSchema = z
  .object({
    model: z.string().min(1),
    messages: z.array(WireMessageSchema).min(1),
    n: z.number().int().min(1).max(128).default(1),
    temperature: z.number().min(0).max(2).default(1),
    top_p: z.number().gt(0).max(1).default(1),
    max_tokens: z.number().int().min(1).nullish(),
    max_completion_tokens: z.number().int().min(1).nullish(),
    stop: z.union([z.string().min(1), z.array(z.string().min(1)).max(16)]).nullish(),
    seed: z.number().int().nullish(),
    stream: z.boolean().nullish(),
    /** vLLM's extension: the stop string stays at the end of the content. */
    include_stop_str_in_output: z.boolean().optional(),
    /** vLLM's extension: token ids of the prompt and of each choice. */
    return_token_ids: z.boolean().optional(),
  })
  .passthrough();
export type ChatRequest = z.infer<typeof ChatRequestSchema>;

export const UsageSchema = z
  .object({
    prompt_tokens: z.number().int().nonnegative(),
    completion_tokens: z.number().int().nonnegative(),
    total_tokens: z.number().int().nonnegative(),
  })
  .passthrough();

export const ChoiceSchema = z
  .object({
    index: z.number().int().nonnegative(),
    message: z.object({ role: z.string().optional(), content: z.string().nullable() }).passthrough(),
    finish_reason: z.string().nullable(),
    /** vLLM's extension: the stop string that ended generation, a stop token id, or null (EOS). */
    stop_reason: z.union([z.string(), z.number(), z.null()]).optional(),
    token_ids: z.array(z.number().int().nonnegative()).nullish(),
  })
  .passthrough();
export type Choice = z.infer<typeof ChoiceSchema>;

/** A chat-completions reply, as our client accepts it. */
export const ChatResponseSchema = z
  .object({
    id: z.string().optional(),
    object: z.string().optional(),
    model: z.string().optional(),
    choices: z.array(ChoiceSchema),
    usage: UsageSchema.nullish(),
    prompt_token_ids: z.array(z.number().int().nonnegative()).nullish(),
  })
  .passthrough();
export type ChatResponse = z.infer<typeof ChatResponseSchema>;

export const ModelListSchema = z
  .object({ data: z.array(z.object({ id: z.string() }).passthrough()) })
  .passthrough();

/** OpenAI's error body: {error: {message, type, param, code}}. */
export const ErrorBodySchema = z.object({
  error: z
    .object({ message: z.string(), type: z.string().nullish(), param: z.string().nullish(), code: z.union([z.string(), z.number()]).nullish() })
    .passthrough(),
});
export type ErrorBody = z.infer<typeof ErrorBodySchema>;
