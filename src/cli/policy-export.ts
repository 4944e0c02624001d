// `swe-srl policy export --checkpoint DIR --out DIR [--format hf|onnx] [--config C] [--no-adapter] [key=value ...]`:
// a trained checkpoint as a Hugging Face model folder (hf runs; merged weights, and adapter/ under LoRA) or an ONNX
// folder for policy.backend=onnx. Prints one JSON line saying what was written.
import type { Command } from 'commander';
import { EXPORT_FORMATS, exportCheckpoint, type ExportFormat } from '../policy/export.ts';
import { SweSrlError } from '../util/errors.ts';

// The --format value, or a user error listing the valid ones.
function formatFlag(value: string): ExportFormat {
  if ((EXPORT_FORMATS as readonly string[]).includes(value)) return value as ExportFormat;
  throw new SweSrlError({
    code: 'bad_flag',
    message: `unknown export format; valid: ${EXPORT_FORMATS.join(', ')}`,
    fault: 'user',
    field: '--format',
    value,
  });
}

export function register(policy: Command): void {
  policy
    .command('export')
    .description('export a trained checkpoint: a Hugging Face model folder (hf runs) or an ONNX folder (policy.backend=onnx)')
    .requiredOption('--checkpoint <dir>', 'checkpoint folder (policy.pt) or run folder (its latest checkpoint)')
    .requiredOption('--out <dir>', 'folder to write')
    .option('--format <f>', `${EXPORT_FORMATS.join(' | ')}: hf loads in transformers/vLLM/SGLang; onnx in policy.backend=onnx`, 'hf')
    .option('-c, --config <file>', "the run's config (default: config.json beside the checkpoint, up to two folders up)")
    .option('--no-adapter', 'hf under LoRA: write only the merged model, not the peft adapter in OUT/adapter')
    .argument('[overrides...]', 'config overrides, key.path=value (e.g. policy.device=cpu)')
    .action(async (overrides: string[], o: { checkpoint: string; out: string; format: string; config?: string; adapter: boolean }) => {
      const report = await exportCheckpoint({
        checkpoint: o.checkpoint,
        out: o.out,
        format: formatFlag(o.format),
        config: o.config,
        overrides,
        adapter: o.adapter,
      });
      console.log(JSON.stringify(report));
    });
}
