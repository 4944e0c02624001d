// policy_onnx.json: what the worker's export_onnx writes next to model.onnx, so a runtime with no Python can
// tokenize, feed the KV cache and stop. Read once, validated here; inside, the inferred type is trusted.
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { formatPath, SweSrlError } from '../../util/errors.ts';

export const ONNX_FORMAT_VERSION = 1;
export const ONNX_MANIFEST_FILE = 'policy_onnx.json';

const TokenizerSchema = z.discriminatedUnion('kind', [
  /** The tiny backend's bytes: ids 0-255 are UTF-8 bytes; the chat template is fixed (see chat-tokenizer.ts). */
  z.object({ kind: z.literal('tiny-bytes') }).strict(),
  /** A Hugging Face tokenizer: tokenizer.json, and tokenizer_config.json holding the Jinja chat_template. */
  z
    .object({
      kind: z.literal('hf'),
      tokenizer_file: z.string().min(1),
      config_file: z.string().min(1),
    })
    .strict(),
]);

export const OnnxManifestSchema = z
  .object({
    format_version: z.literal(ONNX_FORMAT_VERSION),
    /** The worker backend the policy was exported from. */
    backend: z.enum(['tiny', 'hf']),
    model_file: z.string().min(1),
    n_layers: z.number().int().min(1),
    /** Key/value heads of the cache (fewer than attention heads under grouped-query attention). */
    n_kv_heads: z.number().int().min(1),
    head_dim: z.number().int().min(1),
    vocab: z.number().int().min(1),
    parameters: z.number().int().nonnegative(),
    dtype: z.literal('float32'),
    eos_id: z.number().int().nonnegative(),
    pad_id: z.number().int().nonnegative(),
    bos_id: z.number().int().nonnegative().nullable(),
    /** Longest sequence the model takes (null: no limit known); prompts are cut from the left to fit. */
    max_seq_len: z.number().int().min(2).nullable(),
    tokenizer: TokenizerSchema,
    inputs: z.array(z.string()).min(3),
    outputs: z.array(z.string()).min(2),
  })
  .strict();
export type OnnxManifest = z.infer<typeof OnnxManifestSchema>;

const EXPORT_HINT = 'Export the policy again with swe-srl policy export --format onnx (or WorkerPolicy.exportOnnx).';

/** Reads and validates dir/policy_onnx.json and checks that the model file it names exists. */
export async function loadOnnxManifest(dir: string): Promise<OnnxManifest> {
  const file = join(dir, ONNX_MANIFEST_FILE);
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    const missing = (e as NodeJS.ErrnoException).code === 'ENOENT';
    throw new SweSrlError({
      code: 'bad_onnx_export',
      message: missing ? `${dir} has no ${ONNX_MANIFEST_FILE}: not an ONNX policy export` : `${ONNX_MANIFEST_FILE} is not valid JSON`,
      fault: 'user',
      file,
      hint: EXPORT_HINT,
      cause: e,
    });
  }
  const parsed = OnnxManifestSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new SweSrlError({
      code: 'bad_onnx_export',
      message: `${ONNX_MANIFEST_FILE} is invalid: ${issue.message}`,
      fault: 'user',
      file,
      field: formatPath(issue.path),
      hint: EXPORT_HINT,
    });
  }
  const m = parsed.data;
  for (const [field, name] of onnxFiles(m)) {
    const exists = await stat(join(dir, name)).then((s) => s.isFile(), () => false);
    if (!exists)
      throw new SweSrlError({
        code: 'bad_onnx_export',
        message: `${ONNX_MANIFEST_FILE} names ${name}, which is missing from ${dir}`,
        fault: 'user',
        file: join(dir, name),
        field,
        hint: EXPORT_HINT,
      });
  }
  return m;
}

/** The files a manifest refers to, with the field naming each. */
function onnxFiles(m: OnnxManifest): [string, string][] {
  const files: [string, string][] = [['model_file', m.model_file]];
  if (m.tokenizer.kind === 'hf')
    files.push(['tokenizer.tokenizer_file', m.tokenizer.tokenizer_file], ['tokenizer.config_file', m.tokenizer.config_file]);
  return files;
}
