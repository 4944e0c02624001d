// A trained checkpoint as an artefact other tools load: an hf run as a Hugging Face model folder (transformers, vLLM,
// SGLang; under LoRA the merged weights, and the peft adapter in adapter/), any worker run as an ONNX folder for
// policy.backend=onnx. The run's config (found beside the checkpoint) says which backend, model and LoRA built it.
import { existsSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { loadConfig } from '../config/load.ts';
import { PolicySchema } from '../config/policy.ts';
import { resolveCheckpoint } from '../train/loop.ts';
import { SweSrlError } from '../util/errors.ts';
import type { PolicyConfig } from '../config/policy.ts';
import { createTrainablePolicy } from './create.ts';

export const EXPORT_FORMATS = ['hf', 'onnx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportOptions {
  /** A checkpoint folder (policy.pt) or a run folder (its latest checkpoint). */
  checkpoint: string;
  out: string;
  format: ExportFormat;
  /** The run's config; default: config.json in the checkpoint folder or up to two levels above it. */
  config?: string;
  /** key.path=value overrides of the config (e.g. policy.device=cpu). */
  overrides?: string[];
  /** hf under LoRA: also write the peft adapter to out/adapter (default true). */
  adapter?: boolean;
}

export interface ExportReport {
  format: ExportFormat;
  backend: string;
  checkpoint: string;
  config: string;
  out: string;
  /** hf under LoRA with the adapter written: its folder; else null. */
  adapter: string | null;
  bytes: number;
  files: string[];
}

const RunPolicySchema = z.object({ policy: PolicySchema.default({}) }).passthrough();
const CheckpointMetaSchema = z.object({ backend: z.string() }).passthrough();

/** The run config of a checkpoint: the one given, else config.json in dir, its parent or its grandparent. */
export function findRunConfig(dir: string, given?: string): string {
  if (given) return given;
  const candidates = [dir, dirname(dir), dirname(dirname(dir))].map((d) => join(d, 'config.json'));
  const found = candidates.find((f) => existsSync(f));
  if (found) return found;
  throw new SweSrlError({
    code: 'no_run_config',
    message: 'no config.json beside the checkpoint (looked in it and two folders up)',
    fault: 'user',
    file: dir,
    hint: 'Pass --config with the config the run was trained with (it names the backend, model and LoRA).',
  });
}

/** Fails early, with the way out, when the format does not fit the backend. */
export function checkFormat(policy: PolicyConfig, format: ExportFormat): void {
  if (policy.backend !== 'tiny' && policy.backend !== 'hf')
    throw new SweSrlError({
      code: 'bad_config',
      message: `policy.backend=${policy.backend} has no checkpoints to export`,
      fault: 'user',
      field: 'policy.backend',
      value: policy.backend,
      hint: 'Export a run trained with policy.backend=tiny or hf.',
    });
  if (format === 'hf' && policy.backend === 'tiny')
    throw new SweSrlError({
      code: 'no_hf_form',
      message: 'the tiny backend is a byte-level model of this project with no Hugging Face equivalent',
      fault: 'user',
      field: '--format',
      value: format,
      hint: 'Export it with --format onnx (policy.backend=onnx samples from that folder with no Python).',
    });
}

// The backend the checkpoint itself was saved by (policy.json), so a wrong --config fails before the worker loads.
async function checkpointBackend(dir: string): Promise<string | undefined> {
  try {
    return CheckpointMetaSchema.parse(JSON.parse(await readFile(join(dir, 'policy.json'), 'utf8'))).backend;
  } catch {
    return undefined;
  }
}

/** Loads the checkpoint into a worker of the run's backend and writes the export folder. */
export async function exportCheckpoint(o: ExportOptions): Promise<ExportReport> {
  const checkpoint = await resolveCheckpoint(resolve(o.checkpoint));
  const configFile = findRunConfig(checkpoint, o.config);
  const { policy: config } = await loadConfig(RunPolicySchema, { file: configFile, overrides: o.overrides });
  checkFormat(config, o.format);
  const saved = await checkpointBackend(checkpoint);
  if (saved && saved !== config.backend)
    throw new SweSrlError({
      code: 'backend_mismatch',
      message: `the checkpoint was saved by the ${saved} backend but the config says policy.backend=${config.backend}`,
      fault: 'user',
      file: configFile,
      field: 'policy.backend',
      hint: 'Pass --config with the config of the run that wrote this checkpoint.',
    });
  const out = resolve(o.out);
  const policy = await createTrainablePolicy({ policy: config, reference: false, seed: 0 });
  try {
    await policy.load(checkpoint, { optimizer: false, rng: false });
    const base = { format: o.format, backend: config.backend, checkpoint, config: configFile, out };
    if (o.format === 'hf') {
      if (!policy.exportHf)
        throw new SweSrlError({ code: 'no_hf_form', message: `the ${config.backend} policy cannot write a Hugging Face folder`, fault: 'internal' });
      const r = await policy.exportHf(out, { adapter: o.adapter ?? true });
      return { ...base, adapter: r.adapter, bytes: r.bytes, files: r.files };
    }
    const r = await policy.exportOnnx(out);
    return { ...base, adapter: null, bytes: r.bytes, files: (await readdir(out)).sort() };
  } finally {
    await policy.close();
  }
}
