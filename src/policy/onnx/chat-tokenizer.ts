// The exported policy's tokenizer in TypeScript: chat messages -> prompt ids, generated ids -> text, as the worker's
// backend tokenizers do (tiny.py ByteTokenizer; hf.py _Tokenizer over apply_chat_template).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SweSrlError } from '../../util/errors.ts';
import type { ChatMessage } from '../protocol.ts';
import type { OnnxManifest } from './manifest.ts';

export interface ChatTokenizer {
  /** The chat template with the generation prompt, tokenized. */
  encodePrompt(messages: ChatMessage[]): number[];
  /** Text of generated ids; special tokens (EOS, padding) are dropped. */
  decode(ids: number[]): string;
}

const TINY_BOS = 256;
const utf8 = new TextEncoder();

/** tiny: "<|ROLE|>\n" + content + "\n" per message, then "<|assistant|>\n"; BOS first; ids 0-255 are bytes. */
export const tinyByteTokenizer: ChatTokenizer = {
  encodePrompt(messages) {
    const text = messages.map((m) => `<|${m.role}|>\n${m.content}\n`).join('') + '<|assistant|>\n';
    return [TINY_BOS, ...utf8.encode(text)];
  },
  decode(ids) {
    // Python's bytes.decode(errors="replace") and TextDecoder both replace each maximal invalid subpart with U+FFFD.
    return new TextDecoder('utf-8').decode(Uint8Array.from(ids.filter((i) => i < 256)));
  },
};

/** The tokenizer a manifest names, loaded from the export folder. */
export async function loadChatTokenizer(dir: string, m: OnnxManifest): Promise<ChatTokenizer> {
  if (m.tokenizer.kind === 'tiny-bytes') return tinyByteTokenizer;
  const tokFile = join(dir, m.tokenizer.tokenizer_file);
  const cfgFile = join(dir, m.tokenizer.config_file);
  const [tokJson, cfgJson] = await Promise.all([readJson(tokFile), readJson(cfgFile)]);
  const template = (cfgJson as { chat_template?: unknown }).chat_template;
  if (typeof template !== 'string' || template.length === 0)
    throw new SweSrlError({
      code: 'bad_onnx_export',
      message: 'the tokenizer config has no chat_template string',
      fault: 'user',
      file: cfgFile,
      field: 'chat_template',
      hint: 'Export from a model folder whose tokenizer_config.json has a chat template.',
    });
  const [{ Tokenizer }, { Template }] = await Promise.all([import('@huggingface/tokenizers'), import('@huggingface/jinja')]);
  const tok = new Tokenizer(tokJson, cfgJson);
  const tpl = new Template(template);
  const specials = specialTokenStrings(cfgJson);
  return {
    encodePrompt(messages) {
      // transformers' apply_chat_template(tokenize=True) encodes the rendered text without adding special tokens.
      let text: string;
      try {
        text = tpl.render({ messages, add_generation_prompt: true, ...specials });
      } catch (e) {
        // A template rejects a conversation through its raise_exception helper (e.g. roles out of order).
        throw new SweSrlError({
          code: 'chat_template_error',
          message: `the chat template cannot render the prompt: ${(e as Error).message}`,
          fault: 'user',
          file: cfgFile,
          field: 'chat_template',
          hint: "Check the prompt's messages against what the model's chat template accepts (roles, their order).",
          cause: e,
        });
      }
      return tok.encode(text, { add_special_tokens: false }).ids;
    },
    decode(ids) {
      return tok.decode(ids, { skip_special_tokens: true });
    },
  };
}

/** bos_token, eos_token, ... as plain strings, which chat templates may refer to. */
function specialTokenStrings(cfg: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of ['bos_token', 'eos_token', 'pad_token', 'unk_token']) {
    const v = cfg[key];
    if (typeof v === 'string') out[key] = v;
    else if (v && typeof v === 'object' && typeof (v as { content?: unknown }).content === 'string')
      out[key] = (v as { content: string }).content;
  }
  return out;
}

async function readJson(file: string): Promise<Record<string, unknown>> {
  try {
    return JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    throw new SweSrlError({
      code: 'bad_onnx_export',
      message: 'cannot read the exported tokenizer file',
      fault: 'user',
      file,
      hint: 'Export the policy again with swe-srl policy export --format onnx.',
      cause: e,
    });
  }
}
