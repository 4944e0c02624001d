// `swe-srl export verl`: writes the verl recipe into a folder: the Hydra configs of the SRL and RLVR stages
// (config.ts), our reward module and agent loop (python/), the agent-loop list, the RLVR opening rows, and run.sh.
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile, chmod } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { z } from 'zod';
import type { TrainConfig } from '../../config/train.ts';
import type { DatasetExample } from '../../srl/dataset.ts';
import { writeVerlParquet } from '../../srl/writers.ts';
import { SweSrlError } from '../../util/errors.ts';
import { AGENT_LOOP_FILE, AGENT_LOOP_NAME, AGENT_LOOPS_FILE, planVerl, REWARD_FILE, type VerlPlan } from './config.ts';

export const PYTHON_DIR = join(dirname(fileURLToPath(import.meta.url)), 'python');
export const RLVR_ROWS_FILE = 'rlvr.train.parquet';

export interface ExportVerlOptions {
  config: TrainConfig;
  /** The folder written. */
  dir: string;
  serveUrl: string;
  gpus: number;
  maxPromptLength: number;
  rlvrResponseLength: number;
  maxTurns: number;
}

export interface ExportVerlResult {
  dir: string;
  files: string[];
  notes: string[];
  plan: VerlPlan;
}

/** Writes the recipe; returns the files written and what verl cannot express. */
export async function exportVerl(o: ExportVerlOptions): Promise<ExportVerlResult> {
  const dir = resolve(o.dir);
  const c = o.config;
  const trainFiles = parquetOf(c.data.train!);
  const valFiles = c.data.val ? parquetOf(c.data.val) : undefined;
  const notes: string[] = [];
  for (const f of [trainFiles, valFiles]) if (f && !existsSync(f)) notes.push(`${f} does not exist yet: swe-srl srl build writes it next to the steps JSONL`);

  // The RLVR stage starts every episode from a task's opening prompt: the step-1 rows of the steps JSONL.
  const opening = await openingRows(resolve(c.data.train!));
  const rlvrFiles = opening.length ? join(dir, RLVR_ROWS_FILE) : undefined;
  if (!rlvrFiles) notes.push(`no step-1 rows read from ${c.data.train}: the RLVR stage uses ${trainFiles} (every row opens an episode of its task)`);
  // Planned (and so checked) before anything is written.
  const plan = planVerl(c, { dir, trainFiles, valFiles, rlvrFiles, out: resolve(c.out!), gpus: o.gpus, maxPromptLength: o.maxPromptLength, rlvrResponseLength: o.rlvrResponseLength, maxTurns: o.maxTurns });
  await mkdir(dir, { recursive: true });
  if (rlvrFiles) await writeVerlParquet(rlvrFiles, opening);
  notes.push(...plan.notes);
  const files: string[] = [];
  const put = async (name: string, text: string) => {
    await writeFile(join(dir, name), text);
    files.push(name);
  };
  for (const [name, cfg] of Object.entries(plan.configs))
    await put(name, `# verl trainer config written by swe-srl export verl (composes verl's ppo_trainer.yaml)\n${yamlText(cfg)}`);
  const reward = await readFile(join(PYTHON_DIR, REWARD_FILE), 'utf8');
  await put(REWARD_FILE, reward.replace(/^AUTOJUNK = False$/m, `AUTOJUNK = ${c.reward.autojunk ? 'True' : 'False'}`));
  await put(AGENT_LOOP_FILE, await readFile(join(PYTHON_DIR, AGENT_LOOP_FILE), 'utf8'));
  await put(AGENT_LOOPS_FILE, stringify([{ name: AGENT_LOOP_NAME, _target_: 'swe_srl_agent_loop.SweSrlEnvAgentLoop' }]));
  await put('run.sh', runScript({ stages: Object.keys(plan.configs), serveUrl: o.serveUrl, maxTurns: o.maxTurns, filterGroups: c.dynamic_sampling.enabled }));
  await chmod(join(dir, 'run.sh'), 0o755);
  if (rlvrFiles) files.push(RLVR_ROWS_FILE);
  return { dir, files, notes, plan };
}

/**
 * YAML that YAML 1.1 readers (PyYAML, under OmegaConf) read back with the same types: they take 5e-7 for a string,
 * so exponent floats get a fraction (5.0e-7).
 */
export function yamlText(value: unknown): string {
  return stringify(value).replace(/(?<=(?::|-) )(-?\d+)(e[-+]?\d+)$/gm, '$1.0$2');
}

/** The verl Parquet `swe-srl srl build` writes next to a steps JSONL (a Parquet path is kept). */
export function parquetOf(path: string): string {
  return resolve(path.replace(/\.jsonl$/, '.parquet'));
}

const StepsLine = z.object({
  id: z.string(),
  instance_id: z.string(),
  step: z.number().int(),
  num_steps: z.number().int().default(0),
  format: z.string().default('unknown'),
  repo: z.string().default(''),
  split: z.enum(['train', 'val']).default('train'),
  tool: z.string().default(''),
  prompt: z.array(z.object({ role: z.string(), content: z.string() })).min(1),
  target: z.string(),
});

/** The step-1 examples of a steps JSONL, one per instance (none when the file is not a readable JSONL). */
export async function openingRows(file: string): Promise<DatasetExample[]> {
  if (!file.endsWith('.jsonl') || !existsSync(file)) return [];
  const seen = new Set<string>();
  const out: DatasetExample[] = [];
  for (const [i, line] of (await readFile(file, 'utf8')).split('\n').entries()) {
    if (!line.trim()) continue;
    const r = StepsLine.safeParse(JSON.parse(line));
    if (!r.success)
      throw new SweSrlError({ code: 'bad_steps_line', message: `line ${i + 1}: ${r.error.issues[0]!.message}`, fault: 'user', file, hint: 'Give the steps JSONL swe-srl srl build wrote.' });
    const e = r.data;
    if (e.step !== 1 || seen.has(e.instance_id)) continue;
    seen.add(e.instance_id);
    out.push({
      id: e.id, instanceId: e.instance_id, step: e.step, numSteps: e.num_steps, format: e.format, repo: e.repo, split: e.split, tool: e.tool,
      prompt: e.prompt as DatasetExample['prompt'], target: e.target, shownSteps: 0, omittedSteps: 0, observationCharsCut: 0, issueCharsCut: 0, source: { file },
    });
  }
  return out;
}

function runScript(o: { stages: string[]; serveUrl: string; maxTurns: number; filterGroups: boolean }): string {
  // DAPO's trainer (verl-recipe) does the group filtering; plain main_ppo ignores algorithm.filter_groups.
  const entry = o.filterGroups ? 'recipe.dapo.main_dapo' : 'verl.trainer.main_ppo';
  const stage = (name: string) => `  python3 -m "\${VERL_ENTRY:-${entry}}" --config-path "$HERE" --config-name ${name.replace(/\.yaml$/, '')} "$@"`;
  return `#!/usr/bin/env bash
# Written by swe-srl export verl. Usage: ./run.sh [srl|rlvr] [hydra overrides...]
#   srl:  single-turn GRPO on the SRL step Parquet, reward = swe_srl_reward.compute_score
#   rlvr: multi-turn episodes in swe-srl serve sandboxes (agent loop ${AGENT_LOOP_NAME}), reward = graded outcome;
#         start the server first: swe-srl serve --tasks <tasks> --port 8700 [--token T]
# Needs verl (and verl-recipe on PYTHONPATH for ${entry}); set VERL_ENTRY to use another entry point.
set -euo pipefail
HERE="$(cd "$(dirname "\${BASH_SOURCE[0]}")" && pwd)"
export PYTHONPATH="$HERE\${PYTHONPATH:+:$PYTHONPATH}"
export SWE_SRL_SERVE_URL="\${SWE_SRL_SERVE_URL:-${o.serveUrl}}"
export SWE_SRL_MAX_TURNS="\${SWE_SRL_MAX_TURNS:-${o.maxTurns}}"
STAGE="\${1:-${o.stages.includes('srl.yaml') ? 'srl' : 'rlvr'}}"
shift || true
case "$STAGE" in
${o.stages.map((s) => `${s.replace(/\.yaml$/, '')})\n${stage(s)}\n  ;;`).join('\n')}
*)
  echo "usage: $0 [${o.stages.map((s) => s.replace(/\.yaml$/, '')).join('|')}] [overrides...]" >&2
  exit 2
  ;;
esac
`;
}
