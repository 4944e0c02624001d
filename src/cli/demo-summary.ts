// What the demo's training changed, read from its run folders: validation reward and format-error rate before the
// SFT warm-up and after the last GRPO step, the groups GRPO kept, and the tasks the trained policy resolved.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

export const DEMO_SUMMARY_VERSION = 1;

export interface DemoSummary {
  version: number;
  /** Validation of the starting weights (the SFT run's step 0) and of the last GRPO step. */
  val_reward_before: number;
  val_reward_after: number;
  val_format_error_rate_before: number;
  val_format_error_rate_after: number;
  grpo_steps: number;
  /** GRPO steps that trained on at least one group (the others were skipped: no reward spread). */
  grpo_steps_trained: number;
  groups_generated: number;
  groups_kept: number;
  kept_fraction: number;
  tasks: number;
  oracle_resolved: number;
  agent_resolved: number;
}

type MetricsLine = Record<string, unknown>;

/** The lines of a run's metrics.jsonl. */
export async function readMetrics(runDir: string): Promise<MetricsLine[]> {
  const text = await readFile(join(runDir, 'metrics.jsonl'), 'utf8');
  return text.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as MetricsLine);
}

function num(line: MetricsLine | undefined, key: string): number {
  const v = line?.[key];
  return typeof v === 'number' ? v : Number.NaN;
}

/** The summary from the SFT and GRPO metrics and the oracle and agent evaluation summaries (pure). */
export function summarizeDemo(o: {
  sft: MetricsLine[];
  grpo: MetricsLine[];
  oracle: { responses: number; resolved: number };
  agent: { tasks: number; resolved: number };
}): DemoSummary {
  const before = o.sft.find((l) => typeof l.val_reward === 'number');
  const after = [...o.grpo].reverse().find((l) => typeof l.val_reward === 'number');
  const steps = o.grpo.filter((l) => l.mode === 'srl' && num(l, 'step') > 0);
  const generated = steps.reduce((s, l) => s + (num(l, 'groups_generated') || 0), 0);
  const kept = steps.reduce((s, l) => s + (num(l, 'groups_kept') || 0), 0);
  return {
    version: DEMO_SUMMARY_VERSION,
    val_reward_before: num(before, 'val_reward'),
    val_reward_after: num(after, 'val_reward'),
    val_format_error_rate_before: num(before, 'val_format_error_rate'),
    val_format_error_rate_after: num(after, 'val_format_error_rate'),
    grpo_steps: steps.length,
    grpo_steps_trained: steps.filter((l) => l.skipped === undefined && (num(l, 'groups_kept') || 0) > 0).length,
    groups_generated: generated,
    groups_kept: kept,
    kept_fraction: generated > 0 ? kept / generated : 0,
    tasks: o.oracle.responses,
    oracle_resolved: o.oracle.resolved,
    agent_resolved: o.agent.resolved,
  };
}

const pct = (x: number) => `${Math.round(x * 100)}%`;

/** The plain-text lines the demo ends with. */
export function renderDemoSummary(s: DemoSummary, reportPath: string): string {
  return [
    'What training changed (the 6 bundled tasks are also the training set: a resolved task is an edit the policy learned):',
    `  validation reward (SRL, held-out steps)   ${s.val_reward_before.toFixed(3)} -> ${s.val_reward_after.toFixed(3)}`,
    `  validation format errors                  ${pct(s.val_format_error_rate_before)} -> ${pct(s.val_format_error_rate_after)}`,
    `  GRPO groups kept (reward spread)          ${s.groups_kept}/${s.groups_generated} (${pct(s.kept_fraction)}); ${s.grpo_steps_trained}/${s.grpo_steps} steps trained`,
    `  resolved by the trained policy            oracle ${s.oracle_resolved}/${s.tasks}, agent ${s.agent_resolved}/${s.tasks}`,
    `  report: ${reportPath}`,
  ].join('\n');
}
