// `swe-srl evaluate --mode oracle|agentless|agent`: resolve rates of a policy.
//   oracle: one reply per task with the files to edit given (oracle examples, built here unless --examples), graded
//           by the tests in the sandbox; editor calls or SWE-RL's SEARCH/REPLACE blocks (--format);
//   agentless: SWE-RL's Agentless-mini: localize files from the file list, repair them with SEARCH/REPLACE edits
//           (--n samples, majority vote), the patch graded by the harness;
//   agent:  a multi-turn episode per task in its sandbox (the SRL step prompt, one tool call a step), the final
//           patch graded by the harness; trajectories saved for replay and SRL data.
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../config/load.ts';
import { PolicyRunConfigSchema, type PolicyRunConfig } from '../config/policy.ts';
import { runAgentEvaluation, type AgentEvalSummary } from '../evaluate/agent.ts';
import { DEFAULT_EPISODE } from '../evaluate/episode.ts';
import { runOracleEvaluation } from '../evaluate/oracle.ts';
import { AGENTLESS_SELECTIONS, runAgentlessEvaluation, type AgentlessSelection, type AgentlessSummary } from '../evaluate/agentless/pipeline.ts';
import { DEFAULT_AGENTLESS_PROMPT } from '../evaluate/agentless/prompts.ts';
import { buildOracleExamples } from '../oracle/build.ts';
import type { GradeSummary } from '../oracle/grade-file.ts';
import { OutcomeGrader } from '../oracle/outcome.ts';
import { parseOracleFormat } from '../oracle/prompt.ts';
import { loadTaskSet } from '../tasks/task-set.ts';
import { loadExamples } from '../train/examples.ts';
import { createPolicy, policyOptionsFromConfig } from '../policy/create.ts';
import type { Policy, TrainablePolicy } from '../policy/types.ts';
import { writeFileAtomic } from '../util/atomic.ts';
import { SweSrlError } from '../util/errors.ts';
import { formatGradeSummary } from './oracle.ts';
import { createProgress } from './progress.ts';
import { openSandboxes, positiveOption, sandboxOptions, type SandboxFlags } from './sandbox-options.ts';
import { checkpointOption } from './checkpoint-option.ts';

interface EvaluateFlags extends SandboxFlags {
  mode: string;
  config: string;
  checkpoint?: string;
  instances?: string;
  out: string;
  examples?: string;
  format: string;
  n: string;
  temperature: string;
  maxSteps: string;
  maxFiles: string;
  parallel: string;
  maxEdits: string;
  select: string;
  json: boolean;
}

export function register(program: Command): void {
  sandboxOptions(program.command('evaluate'), { workers: '2', workersHelp: 'sandboxes grading at once' })
    .description('resolve rates of a policy: oracle (files to edit given, one reply), agentless (localize, then repair) or agent (multi-turn in the sandbox)')
    .requiredOption('--mode <oracle|agentless|agent>', 'oracle, agentless or agent')
    .requiredOption('-c, --config <file>', "the policy's train config (its policy, rollout and seed are used)")
    .requiredOption('--out <dir>', 'output folder')
    .option('--checkpoint <dir>', 'weights to load: a checkpoint folder (policy.pt) or a run folder (its latest)')
    .option('--instances <ids>', 'comma-separated instance ids (default: all)')
    .option('--examples <file>', 'oracle: examples JSONL (default: built from the tasks into <out>/oracle.jsonl)')
    .option('--format <editor|search-replace>', "oracle: the reply format, editor calls or SWE-RL's SEARCH/REPLACE blocks", 'editor')
    .option('--n <k>', 'oracle: responses per task; agentless: repair samples per task (majority vote)', '1')
    .option('--max-files <k>', 'agentless: files localization may name at most', String(DEFAULT_AGENTLESS_PROMPT.maxFiles))
    .option('--temperature <t>', 'sampling temperature (0: greedy)', '0')
    .option('--max-steps <n>', 'agent: steps per episode at most', String(DEFAULT_EPISODE.maxSteps))
    .option('--select <vote|regression>', 'agentless, --n > 1: majority vote, or regression tests (PASS_TO_PASS, no test patch) then the vote', 'vote')
    .option('--max-edits <n>', 'oracle, agentless: edits one reply may make at most (more is a format error)', '32')
    .option('--parallel <n>', 'agent: episodes live at once; agentless: tasks per round (one generate batch)', '4')
    .option('--json', 'print the summary as JSON', false)
    .argument('[overrides...]', 'config overrides, key.path=value (e.g. rollout.max_new_tokens=2048)')
    .action(async (overrides: string[], flags: EvaluateFlags) => {
      const summary = await evaluate(overrides, flags);
      if (flags.json) console.log(JSON.stringify(summary));
      else if ('localization' in summary) console.log(formatAgentlessSummary(summary));
      else console.log('harness' in summary ? formatAgentSummary(summary) : formatGradeSummary(summary));
    });
}

async function evaluate(overrides: string[], f: EvaluateFlags): Promise<GradeSummary | AgentEvalSummary | AgentlessSummary> {
  if (f.mode !== 'oracle' && f.mode !== 'agent' && f.mode !== 'agentless')
    throw new SweSrlError({ code: 'bad_option', message: `unknown mode ${JSON.stringify(f.mode)}`, fault: 'user', value: f.mode, hint: 'Valid: oracle, agentless, agent.' });
  const outDir = resolve(f.out);
  const config: PolicyRunConfig = await loadConfig(PolicyRunConfigSchema, { file: f.config, overrides });
  // The gold policy answers the tasks being evaluated unless the config names others.
  if (config.policy.backend === 'gold' && !config.policy.tasks) config.policy.tasks = f.tasks;
  const format = parseOracleFormat(f.format);
  const temperature = Number(f.temperature);
  if (!(temperature >= 0)) throw new SweSrlError({ code: 'bad_option', message: '--temperature must be >= 0', fault: 'user', value: f.temperature });
  const tasks = await loadTaskSet(f.tasks, f.instances?.split(',').map((s) => s.trim()).filter(Boolean));
  const { sandboxes, workers } = await openSandboxes(f);
  // Resolved before any worker starts, so that a wrong path fails at once.
  const checkpoint = await checkpointOption(f.checkpoint, config.policy.backend);
  const policy = async (): Promise<Policy> => {
    const p = await createPolicy(policyOptionsFromConfig(config));
    try {
      if (checkpoint) await (p as TrainablePolicy).load(checkpoint, { optimizer: false, rng: false });
    } catch (e) {
      await p.close();
      throw e;
    }
    return p;
  };
  const sampling = { temperature, topP: config.rollout.top_p, maxNewTokens: config.rollout.max_new_tokens, seed: config.seed };
  if (f.mode === 'oracle') {
    let examples;
    if (f.examples) examples = await loadExamples(f.examples);
    else {
      const built = await buildOracleExamples({ sandboxes, tasks, workers, prompt: { format } });
      for (const w of built.warnings) console.error(`warning: ${w}`);
      examples = built.examples;
      await writeFileAtomic(join(outDir, 'oracle.jsonl'), examples.map((e) => `${JSON.stringify(e)}\n`).join(''));
    }
    const n = positiveOption('n', f.n);
    const sampleBar = createProgress({ total: examples.length, title: 'sample' });
    let sampled = 0;
    const gradeBar = createProgress({ total: examples.length * n, title: 'grade' });
    const summary = await runOracleEvaluation({
      policy,
      examples,
      grader: new OutcomeGrader({ sandboxes, tasks, workers }),
      outDir,
      // A reply holds several edits: generation ends at EOS unless the config says otherwise.
      sampling: { ...sampling, n, stop: overrides.some((x) => x.startsWith('rollout.stop=')) ? config.rollout.stop : [] },
      maxEdits: positiveOption('max-edits', f.maxEdits),
      format,
      onSampled: (d) => {
        while (sampled < d) sampleBar.tick(examples[sampled++]!.id);
      },
      onRow: (r) => gradeBar.tick(`${r.id}#${r.line}: ${r.status === 'ok' ? r.detail : `format error (${r.status})`}`),
    });
    sampleBar.stop();
    gradeBar.stop();
    return summary;
  }
  const model = f.checkpoint ? `policy:${f.checkpoint}` : `policy:${config.policy.model ?? config.policy.backend}`;
  if (f.mode === 'agentless') {
    const genBar = createProgress({ total: tasks.length, title: 'generate' });
    const gradeBar = createProgress({ total: tasks.length, title: 'grade' });
    const summary = await runAgentlessEvaluation({
      policy,
      tasks,
      sandboxes,
      outDir,
      // Both stages' replies end at EOS unless the config says otherwise (a repair reply holds several edits).
      sampling: { ...sampling, n: positiveOption('n', f.n), stop: overrides.some((x) => x.startsWith('rollout.stop=')) ? config.rollout.stop ?? [] : [] },
      prompt: { maxFiles: positiveOption('max-files', f.maxFiles) },
      parallel: positiveOption('parallel', f.parallel),
      workers,
      maxEdits: positiveOption('max-edits', f.maxEdits),
      selection: selectionOption(f.select),
      model,
      onRecord: (r, reused) =>
        genBar.tick(
          `${r.instance_id}: ${r.error ? `error: ${r.error}` : `${r.localization.files.length} files (recall ${r.localization.recall.toFixed(2)}${r.localization.source === 'fallback' ? ', fallback' : ''}), ${r.patch ? 'a patch' : 'no patch'}`}${reused ? ' (done before)' : ''}`,
        ),
      onGraded: (id, o) => gradeBar.tick(`${id}: ${o.kind === 'graded' ? (o.resolved ? 'resolved' : 'unresolved') : o.kind}`),
    });
    genBar.stop();
    gradeBar.stop();
    return summary;
  }
  const p = await policy();
  try {
    const bar = createProgress({ total: tasks.length, title: 'agent' });
    return await runAgentEvaluation({
      policy: p,
      tasks,
      sandboxes,
      outDir,
      sampling: { ...sampling, stop: config.rollout.stop },
      episode: { ...DEFAULT_EPISODE, maxSteps: positiveOption('max-steps', f.maxSteps) },
      parallel: positiveOption('parallel', f.parallel),
      workers,
      model,
      onEpisode: (e) => bar.tick(`${e.instance_id}: ${e.exit} after ${e.steps} steps${e.reused ? ' (done before)' : ''}${e.error ? `: ${e.error}` : ''}`),
      onResume: (r) =>
        console.error(
          r.how === 'resumed'
            ? `${r.instance_id}: resumed at step ${r.steps + 1} (the killed run's ${r.steps} steps were run again in a fresh sandbox)`
            : `${r.instance_id}: restarted from step 1 (${r.reason})`,
        ),
    });
  } finally {
    await p.close();
  }
}

/** The readable summary of an agentless evaluation. */
export function formatAgentlessSummary(s: AgentlessSummary): string {
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  return [
    `tasks: ${s.tasks}, resolved: ${s.resolved} (${pct(s.resolve_rate)}); infrastructure failures: ${s.infra_failures} (resolved among the others: ${pct(s.resolve_rate_excluding_infra)})`,
    `localization: recall ${pct(s.localization.recall)}, all gold files found in ${pct(s.localization.all_gold_rate)} of tasks, fallback used ${s.localization.fallback} times`,
    `repair: ${s.samples_per_task} sample(s) per task; malformed replies ${s.format_errors}, failed edits ${s.failed_edits}, empty patches ${s.empty_patches}`,
    `verdicts: ${Object.entries(s.verdicts).map(([k, v]) => `${k} ${v}`).join(', ')}`,
    ...Object.entries(s.by_repo).map(([repo, b]) => `  ${repo}: ${b.resolved}/${b.tasks} (${pct(b.resolve_rate)})`),
  ].join('\n');
}

/** The readable summary of an agent evaluation. */
export function formatAgentSummary(s: AgentEvalSummary): string {
  return [
    `tasks: ${s.tasks}, resolved: ${s.resolved} (${(100 * s.resolve_rate).toFixed(1)}%)`,
    `episodes ended by: ${Object.entries(s.exits).map(([k, v]) => `${k} ${v}`).join(', ')}`,
    `steps per episode: ${s.steps_mean.toFixed(1)} on average; malformed replies: ${s.format_errors}`,
    ...(s.resumed || s.restarted ? [`episodes of a killed run: ${s.resumed} resumed mid-episode, ${s.restarted} restarted`] : []),
  ].join('\n');
}

function selectionOption(v: string): AgentlessSelection {
  if ((AGENTLESS_SELECTIONS as readonly string[]).includes(v)) return v as AgentlessSelection;
  throw new SweSrlError({ code: 'bad_option', message: `unknown selection ${JSON.stringify(v)}`, fault: 'user', field: '--select', value: v, hint: `Valid: ${AGENTLESS_SELECTIONS.join(', ')}.` });
}
