// The verl recipe's configs: every key they set exists in verl's trainer config (a key list taken from verl's
// generated ppo_trainer.yaml, plus the DAPO recipe's additions), and our settings land on the right keys.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config/load.ts';
import { TrainConfigSchema } from '../../src/config/train.ts';
import { keyPaths, planVerl, type VerlPlanOptions } from '../../src/export/verl/config.ts';
import { exportVerl, openingRows } from '../../src/export/verl/write.ts';
import { defaultPython } from '../../src/policy/python-env.ts';
import { tempDir } from '../helpers/tmp.ts';

const keys = (file: string) =>
  new Set(readFileSync(join('test/fixtures/verl', file), 'utf8').split('\n').filter((l) => l && !l.startsWith('#')));
const PPO = keys('ppo_trainer.keys.txt');
const DAPO = keys('dapo_trainer.keys.txt');
const OPTS: VerlPlanOptions = { dir: '/r', trainFiles: '/d/steps.parquet', valFiles: '/d/steps.val.parquet', out: '/r/checkpoints', gpus: 1, maxPromptLength: 8192, rlvrResponseLength: 16384, maxTurns: 30 };

const config = (file: string, extra: string[] = []) =>
  loadConfig(TrainConfigSchema, { file, overrides: ['policy.model=/models/m', ...extra], strings: { 'data.train': 'd/steps.jsonl', 'data.val': 'd/steps.val.jsonl', out: 'runs/x' } });

describe('verl config export', () => {
  it('sets only keys of verl\'s ppo_trainer (and the DAPO recipe\'s filter_groups / gen_batch_size)', async () => {
    const plan = planVerl(await config('configs/srl-hf-gpu.yaml', ['policy.lora.r=8']), OPTS);
    expect(Object.keys(plan.configs).sort()).toEqual(['rlvr.yaml', 'srl.yaml']);
    for (const cfg of Object.values(plan.configs)) {
      const unknown = keyPaths(cfg).filter((k) => !PPO.has(k) && !DAPO.has(k));
      expect(unknown).toEqual([]);
      expect(cfg.defaults).toEqual(['ppo_trainer', '_self_']);
    }
    // The check can fail: a key verl does not have is caught.
    expect(keyPaths({ actor_rollout_ref: { rollout: { stop: ['x'] } } }).filter((k) => !PPO.has(k))).toEqual(['actor_rollout_ref.rollout.stop']);
  });

  it('maps the paper\'s SRL settings onto verl\'s keys', async () => {
    const srl = planVerl(await config('configs/srl-hf-gpu.yaml'), OPTS).configs['srl.yaml'] as any;
    expect(srl.algorithm).toMatchObject({ adv_estimator: 'grpo', norm_adv_by_std_in_grpo: true, use_kl_in_reward: false });
    expect(srl.algorithm.filter_groups).toMatchObject({ enable: true, metric: 'seq_reward', max_num_gen_batches: 8 });
    expect(srl.actor_rollout_ref.rollout).toMatchObject({ n: 8, temperature: 1, top_p: 1, val_kwargs: { n: 1, temperature: 0, do_sample: false } });
    expect(srl.actor_rollout_ref.actor).toMatchObject({ clip_ratio_low: 0.2, clip_ratio_high: 0.28, loss_agg_mode: 'token-mean', use_kl_loss: false, ppo_mini_batch_size: 32, ppo_micro_batch_size_per_gpu: 4, grad_clip: 1 });
    expect(srl.actor_rollout_ref.actor.optim).toMatchObject({ lr: 5e-7, clip_grad: 1 });
    expect(srl.data).toMatchObject({ train_files: '/d/steps.parquet', val_files: '/d/steps.val.parquet', train_batch_size: 32, gen_batch_size: 32, max_response_length: 1024, val_max_samples: 256 });
    expect(srl.custom_reward_function).toEqual({ path: '/r/swe_srl_reward.py', name: 'compute_score' });
    expect(srl.trainer).toMatchObject({ total_training_steps: 500, test_freq: 25, save_freq: 25, max_actor_ckpt_to_keep: 2 });
    const kl = planVerl(await config('configs/srl-hf-gpu.yaml', ['loss.kl_coef=0.01', 'loss.aggregation=seq-mean', 'dynamic_sampling.enabled=false']), OPTS).configs['srl.yaml'] as any;
    expect(kl.actor_rollout_ref.actor).toMatchObject({ use_kl_loss: true, kl_loss_coef: 0.01, kl_loss_type: 'low_var_kl', loss_agg_mode: 'seq-mean-token-mean' });
    expect(kl.algorithm.filter_groups.enable).toBe(false);
  });

  it('wires the RLVR stage to the agent loop; an outcome config gives only that stage', async () => {
    const plan = planVerl(await config('configs/rlvr-hf-gpu.yaml', ['reward.outcome.tasks=bundled']), { ...OPTS, rlvrFiles: '/r/rlvr.train.parquet' });
    expect(Object.keys(plan.configs)).toEqual(['rlvr.yaml']);
    const rlvr = plan.configs['rlvr.yaml'] as any;
    expect(rlvr.actor_rollout_ref.rollout.agent).toEqual({ default_agent_loop: 'swe_srl_env', agent_loop_config_path: '/r/agent_loops.yaml' });
    expect(rlvr.actor_rollout_ref.rollout.multi_turn).toEqual({ enable: true, max_assistant_turns: 30 });
    expect(rlvr.data).toMatchObject({ train_files: '/r/rlvr.train.parquet', max_response_length: 16384 });
    expect(rlvr.trainer).toMatchObject({ test_freq: -1, val_before_train: false, default_local_dir: "/r/checkpoints/rlvr" });
  });

  it('refuses what verl cannot run, naming every problem', async () => {
    await expect(config('configs/tiny-cpu.yaml', ['mode=sft']).then((c) => planVerl(c, OPTS))).rejects.toThrow(/mode:[\s\S]*policy:/);
    await expect(config('configs/srl-hf-gpu.yaml', ['reward.name=exact']).then((c) => planVerl(c, OPTS))).rejects.toMatchObject({ code: 'bad_export_config' });
  });

  it('writes the recipe folder: configs, reward module (autojunk set), agent loop list, opening rows, run.sh', async () => {
    const dir = await tempDir('verl-export');
    const steps = join(dir, 'steps.jsonl');
    const line = (id: string, step: number) => JSON.stringify({ version: 1, id: `${id}/h/${step}`, instance_id: id, step, num_steps: 2, format: 'swe-agent', repo: 'o/r', split: 'train', tool: 'bash', prompt: [{ role: 'user', content: `fix ${id}` }], target: 't' });
    await (await import('node:fs/promises')).writeFile(steps, [line('a', 1), line('a', 2), line('b', 2), line('b', 1), line('b', 1)].join('\n'));
    expect((await openingRows(steps)).map((e) => [e.instanceId, e.step])).toEqual([['a', 1], ['b', 1]]);
    const c = await loadConfig(TrainConfigSchema, { file: 'configs/srl-hf-gpu.yaml', overrides: ['policy.model=/m', 'reward.autojunk=true', 'train.val_every=0'], strings: { 'data.train': steps, out: join(dir, 'out', 'checkpoints') } });
    const r = await exportVerl({ config: c, dir: join(dir, 'out'), serveUrl: 'http://h:1', gpus: 2, maxPromptLength: 4096, rlvrResponseLength: 8000, maxTurns: 5 });
    expect(r.files.sort()).toEqual(['agent_loops.yaml', 'rlvr.train.parquet', 'rlvr.yaml', 'run.sh', 'srl.yaml', 'swe_srl_agent_loop.py', 'swe_srl_reward.py']);
    expect(r.notes.join('\n')).toMatch(/steps\.parquet does not exist/);
    const srl = parse(await readFile(join(r.dir, 'srl.yaml'), 'utf8'));
    expect(srl.trainer).toMatchObject({ n_gpus_per_node: 2, test_freq: -1, val_before_train: false });
    expect(parse(await readFile(join(r.dir, 'rlvr.yaml'), 'utf8')).data.train_files).toBe(join(r.dir, 'rlvr.train.parquet'));
    expect(await readFile(join(r.dir, 'swe_srl_reward.py'), 'utf8')).toMatch(/^AUTOJUNK = True$/m);
    expect(parse(await readFile(join(r.dir, 'agent_loops.yaml'), 'utf8'))).toEqual([{ name: 'swe_srl_env', _target_: 'swe_srl_agent_loop.SweSrlEnvAgentLoop' }]);
    // PyYAML (YAML 1.1, what OmegaConf reads with) sees the same values: lr a float, not the string "5e-7".
    const py = defaultPython();
    if (existsSync(py)) {
      const read = execFileSync(py, ['-c', 'import sys, yaml, json; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))', join(r.dir, 'srl.yaml')], { encoding: 'utf8' });
      expect(JSON.parse(read)).toEqual(srl);
      expect(JSON.parse(read).actor_rollout_ref.actor.optim.lr).toBe(5e-7);
      // The RLVR rows as verl's RLHFDataset reads them (pandas over pyarrow): one opening prompt per task.
      const rows = execFileSync(py, ['-c', 'import sys, json, pyarrow.parquet as pq; t = pq.read_table(sys.argv[1]).to_pylist(); print(json.dumps([[r["extra_info"]["instance_id"], r["extra_info"]["step"], r["prompt"][0]["content"]] for r in t]))', join(r.dir, 'rlvr.train.parquet')], { encoding: 'utf8' });
      expect(JSON.parse(rows)).toEqual([['a', 1, 'fix a'], ['b', 1, 'fix b']]);
    }
    const sh = await readFile(join(r.dir, 'run.sh'), 'utf8');
    execFileSync('bash', ['-n', join(r.dir, 'run.sh')]);
    expect(sh).toContain('recipe.dapo.main_dapo');
    expect(sh).toContain('http://h:1');
    expect((await stat(join(r.dir, 'run.sh'))).mode & 0o111).not.toBe(0);
  });
});

describe('swe-srl export verl (CLI)', () => {
  it('writes the recipe and exits 0; a config verl cannot run exits 2 and writes nothing', async () => {
    const { main } = await import('../../src/cli/main.ts');
    const dir = await tempDir('verl-cli');
    const out = join(dir, 'recipe');
    expect(await main(['export', 'verl', '--config', 'configs/srl-hf-gpu.yaml', '--out', out, '--train', join(dir, 's.jsonl'), '--val', join(dir, 's.val.jsonl'), '--gpus', '4', 'policy.model=/m'])).toBe(0);
    const srl = parse(await readFile(join(out, 'srl.yaml'), 'utf8'));
    expect(srl.trainer).toMatchObject({ n_gpus_per_node: 4, default_local_dir: join(out, 'checkpoints', 'srl') });
    expect(srl.data.train_files).toBe(join(dir, 's.parquet'));
    const bad = join(dir, 'bad');
    expect(await main(['export', 'verl', '--config', 'configs/tiny-cpu.yaml', '--out', bad, '--train', 'x.jsonl', 'train.val_every=0'])).toBe(2);
    expect(existsSync(bad)).toBe(false);
  });
});
