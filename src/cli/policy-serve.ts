// `swe-srl policy serve`: a policy of any backend (a tiny/hf worker with a checkpoint loaded, an onnx export, even
// another OpenAI-compatible server) behind an OpenAI-compatible API (src/policy/serve/server.ts), until SIGTERM or
// SIGINT, which let requests in flight finish and close the policy.
import type { Command } from 'commander';
import { loadConfig } from '../config/load.ts';
import { PolicyRunConfigSchema, type PolicyRunConfig } from '../config/policy.ts';
import { createPolicy, policyOptionsFromConfig } from '../policy/create.ts';
import { servePolicy } from '../policy/serve/server.ts';
import type { TrainablePolicy } from '../policy/types.ts';
import { SweSrlError } from '../util/errors.ts';
import { positiveOption } from './sandbox-options.ts';
import { untilShutdown } from './shutdown.ts';
import { checkpointOption } from './checkpoint-option.ts';

interface PolicyServeFlags {
  config: string;
  checkpoint?: string;
  host: string;
  port: string;
  modelName?: string;
  maxBatch: string;
  quiet?: boolean;
}

export function register(policy: Command): void {
  policy
    .command('serve')
    .description('serve a policy over an OpenAI-compatible API (GET /v1/models, POST /v1/chat/completions)')
    .requiredOption('-c, --config <file>', "the policy's train config (its policy section; rollout.max_new_tokens is the default max_tokens)")
    .option('--checkpoint <dir>', 'weights to load (tiny/hf): a checkpoint folder (policy.pt) or a run folder (its latest)')
    .option('--host <addr>', 'address to listen on (0.0.0.0: every interface)', '127.0.0.1')
    .option('--port <n>', 'port (0: any free one)', '8800')
    .option('--model-name <name>', 'the model name clients send (default: policy.model, else swe-srl-<backend>)')
    .option('--max-batch <n>', 'chat prompts per sample call at most (requests in flight together are batched)', '32')
    .option('-q, --quiet', 'no request log on stderr')
    .argument('[overrides...]', 'config overrides, key.path=value (e.g. policy.device=cuda)')
    .action(async (overrides: string[], f: PolicyServeFlags) => {
      const config: PolicyRunConfig = await loadConfig(PolicyRunConfigSchema, { file: f.config, overrides });
      const port = Number(f.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535)
        throw new SweSrlError({ code: 'bad_option', message: '--port must be an integer in 0..65535', fault: 'user', value: f.port });
      const maxBatch = positiveOption('max-batch', f.maxBatch);
      const checkpoint = await checkpointOption(f.checkpoint, config.policy.backend);
      const model = f.modelName ?? config.policy.model ?? `swe-srl-${config.policy.backend}`;
      const policy = await createPolicy(policyOptionsFromConfig(config));
      let running;
      try {
        if (checkpoint) await (policy as TrainablePolicy).load(checkpoint, { optimizer: false, rng: false });
        running = await servePolicy({
          policy,
          model,
          maxNewTokens: config.rollout.max_new_tokens,
          port,
          host: f.host,
          maxBatch,
          log: f.quiet ? undefined : (l) => console.error(l),
        });
      } catch (e) {
        await policy.close();
        throw e;
      }
      console.log(`swe-srl policy serve: model ${JSON.stringify(model)} on ${running.baseUrl}`);
      const signal = await untilShutdown();
      console.error(`swe-srl policy serve: ${signal}, finishing requests in flight and closing the policy`);
      await running.close();
    });
}
