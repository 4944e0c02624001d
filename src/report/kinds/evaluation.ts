// Policy evaluations (`swe-srl evaluate` oracle, agent and agentless; `swe-srl oracle grade`): DIR/summary.json plus
// per-row results (rows.jsonl; agentless rows carry their repair replies) and the replies (completions.jsonl) or the
// agent's trajectories/, with the harness run under eval/ (agent, agentless). Fields beyond these are shown as they are, so a new mode's summary still reads.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { EvaluationModel, RunModel } from '../model.ts';
import { readJson, readJsonl } from '../read.ts';
import { analyseThoughts, extractThink } from '../think.ts';
import { loadEvalRun } from './eval.ts';
import { field, num, type Probe, type RunKindLoader } from './probe.ts';
import { loadTrajectories } from './trajectories.ts';

export const EvaluationRowSchema = z
  .object({
    id: z.string().optional(),
    instance_id: z.string().optional(),
    status: z.string().optional(),
    /** agentless rows: resolved, unresolved, infra_failure:<kind>, ... */
    verdict: z.string().optional(),
    reward: z.number().nullable().optional(),
    resolved: z.boolean().optional(),
    response: z.string().optional(),
    /** agentless rows: the repair replies sampled for the task. */
    samples: z.array(z.object({ reply: z.string() }).passthrough()).optional(),
  })
  .passthrough();
export type EvaluationRow = z.infer<typeof EvaluationRowSchema>;

const CompletionSchema = z.object({ id: z.string(), response: z.string() }).passthrough();

/** oracle, agent or agentless from the folder's files and summary; "evaluation" when they do not say (pure). */
export function evaluationMode(p: Pick<Probe, 'entries' | 'summary'>): string {
  const declared = field(p.summary, 'mode');
  if (typeof declared === 'string') return declared;
  if (p.entries.has('trajectories')) return 'agent';
  if (p.entries.has('generated.jsonl') || field(p.summary, 'localization') !== undefined) return 'agentless';
  if (p.entries.has('completions.jsonl') || field(p.summary, 'responses') !== undefined) return 'oracle';
  return 'evaluation';
}

/** The model from the summary's numbers and the rows (pure). */
export function evaluationModel(o: { mode: string; summary: Record<string, unknown>; rows: readonly EvaluationRow[] }): EvaluationModel {
  const numbers = Object.fromEntries(Object.entries(o.summary).filter((e): e is [string, number] => typeof e[1] === 'number'));
  return {
    kind: 'evaluation',
    mode: o.mode,
    numbers,
    rows: o.rows.map((r, i) => ({
      id: r.id ?? r.instance_id ?? `row ${i + 1}`,
      status: r.status ?? r.verdict ?? (r.resolved === undefined ? '' : r.resolved ? 'resolved' : 'unresolved'),
      reward: r.reward ?? null,
    })),
  };
}

export const evaluationKind: RunKindLoader = {
  kind: 'evaluation',
  expects: 'summary.json with rows.jsonl, completions.jsonl or trajectories/ (swe-srl evaluate, oracle grade)',
  matches: (p) => p.summary !== undefined && ['rows.jsonl', 'completions.jsonl', 'trajectories'].some((e) => p.entries.has(e)),
  async load(p): Promise<Omit<RunModel, 'name'>> {
    const summary = await readJson(join(p.path, 'summary.json'), z.record(z.unknown()));
    const rows = p.entries.has('rows.jsonl') ? await readJsonl(join(p.path, 'rows.jsonl'), EvaluationRowSchema) : [];
    const body = evaluationModel({ mode: evaluationMode(p), summary, rows });
    const evalDir = join(p.path, 'eval');
    if (existsSync(join(evalDir, 'summary.json'))) body.harness = await loadEvalRun(evalDir);
    const rate = body.numbers.resolve_rate;
    return {
      path: p.path,
      body,
      summary: [
        ['kind', `${body.mode} evaluation`],
        ['resolve rate', rate === undefined ? 'n/a' : `${(rate * 100).toFixed(1)}%`],
        ...Object.entries(body.numbers)
          .filter(([k]) => k !== 'resolve_rate')
          .slice(0, 8)
          .map(([k, v]): [string, string] => [k.replaceAll('_', ' '), num(v)]),
      ],
      thoughts: await thoughtsOf(p, rows),
    };
  },
};

// The replies' reasoning: oracle completions, the agent's step thoughts, or responses kept in the rows.
async function thoughtsOf(p: Probe, rows: readonly EvaluationRow[]): Promise<RunModel['thoughts']> {
  if (p.entries.has('completions.jsonl')) {
    const cs = await readJsonl(join(p.path, 'completions.jsonl'), CompletionSchema);
    return { source: "the policy's replies in completions.jsonl (<think> text)", stats: analyseThoughts(cs.map((c) => extractThink(c.response))) };
  }
  if (p.entries.has('trajectories')) {
    const dir = join(p.path, 'trajectories');
    const ts = await loadTrajectories(dir, readdirSync(dir));
    return { source: "the policy's thought at each agent step (trajectories/)", stats: analyseThoughts(ts.flatMap((t) => t.steps.map((s) => s.thought))) };
  }
  const responses = rows.flatMap((r) => [...(r.response === undefined ? [] : [r.response]), ...(r.samples ?? []).map((x) => x.reply)]);
  if (responses.length) return { source: "the policy's replies in rows.jsonl (<think> text)", stats: analyseThoughts(responses.map(extractThink)) };
  return { none: 'this evaluation keeps no replies (no completions.jsonl, trajectories/ or responses in rows.jsonl)' };
}
