// The smallest real training run the loop tests share: a 1-layer tiny policy, short samples, validation and
// checkpoints every `every` steps.
import { validateConfig } from '../../src/config/load.ts';
import { TrainConfigSchema, type TrainConfig } from '../../src/config/train.ts';

export function tinyRunConfig(out: string, o: { steps: number; every: number; n?: number }): TrainConfig {
  return validateConfig(TrainConfigSchema, {
    out,
    data: { train: 'unused', val: 'unused' },
    policy: { tiny: { d_model: 32, n_layers: 1, n_heads: 2, max_seq_len: 64 } },
    optimizer: { lr: 1e-3 },
    rollout: { n: o.n ?? 4, max_new_tokens: 12, stop: [] },
    train: { steps: o.steps, batch_size: 2, val_every: o.every, checkpoint_every: o.every },
    val: { n: 2, temperature: 1 },
  });
}
