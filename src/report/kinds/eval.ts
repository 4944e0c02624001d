// Harness eval runs (`swe-srl eval`): DIR/summary.json (SWE-bench's run report + swe_srl) and DIR/<instance>/
// with report.json, test_output.txt and run_instance.log.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { EvalInstance, EvalModel, FileLink } from '../model.ts';
import { readJson } from '../read.ts';
import { SweSrlError } from '../../util/errors.ts';
import { field, pct, type Probe, type RunKindLoader } from './probe.ts';

const ids = z.array(z.string()).default([]);
export const EvalSummarySchema = z
  .object({
    schema_version: z.literal(2),
    total_instances: z.number(),
    resolved_instances: z.number(),
    submitted_ids: ids,
    incomplete_ids: ids,
    resolved_ids: ids,
    unresolved_ids: ids,
    empty_patch_ids: ids,
    error_ids: ids,
    failure_reasons: z.record(z.string()).default({}),
    swe_srl: z
      .object({
        resolve_rate: z.number(),
        infra_failures: z.record(z.number()).default({}),
        rejected_ids: ids,
      })
      .passthrough()
      .optional(),
  })
  .passthrough();
export type EvalSummary = z.infer<typeof EvalSummarySchema>;

/** owner/name from an instance id (`django__django-11099` -> django/django); the id itself when it has no `__`. */
export function repoOf(instanceId: string): string {
  const i = instanceId.indexOf('__');
  if (i < 0) return instanceId.replace(/-\d+$/, '');
  return `${instanceId.slice(0, i)}/${instanceId.slice(i + 2).replace(/-\d+$/, '')}`;
}

/** The model of an eval run from its summary, the error class per instance, and its files (pure). */
export function evalModel(s: EvalSummary, o: { errorClass: Record<string, string>; links: (id: string) => FileLink[] }): EvalModel {
  const verdict = new Map<string, string>();
  const mark = (list: string[], v: string) => list.forEach((id) => verdict.set(id, v));
  mark(s.incomplete_ids, 'incomplete');
  mark(s.submitted_ids, 'error');
  mark(s.unresolved_ids, 'unresolved');
  mark(s.empty_patch_ids, 'empty_patch');
  mark(s.error_ids, 'error');
  mark(s.resolved_ids, 'resolved');
  const instances: EvalInstance[] = [...verdict.keys()].sort().map((id) => ({
    id,
    repo: repoOf(id),
    verdict: verdict.get(id)!,
    errorClass: o.errorClass[id] ?? s.failure_reasons[id] ?? '',
    links: o.links(id),
  }));
  const repos = new Map<string, { resolved: number; total: number }>();
  for (const i of instances) {
    const r = repos.get(i.repo) ?? { resolved: 0, total: 0 };
    r.total++;
    if (i.verdict === 'resolved') r.resolved++;
    repos.set(i.repo, r);
  }
  return {
    kind: 'eval',
    resolveRate: s.swe_srl?.resolve_rate ?? (s.total_instances ? s.resolved_instances / s.total_instances : 0),
    total: s.total_instances,
    resolved: s.resolved_instances,
    perRepo: [...repos].sort(([a], [b]) => (a < b ? -1 : 1)).map(([repo, r]) => ({ repo, ...r })),
    infraFailures: Object.fromEntries(Object.entries(s.swe_srl?.infra_failures ?? {}).filter(([, n]) => n > 0)),
    instances,
  };
}

const ReportExtrasSchema = z.object({
  swe_srl: z.object({ outcome: z.object({ kind: z.string(), failure: z.string().optional(), reason: z.string().optional() }).passthrough() }).passthrough().optional(),
}).passthrough();

/** Loads an eval run folder. */
export async function loadEvalRun(dir: string): Promise<EvalModel> {
  const s = await readJson(join(dir, 'summary.json'), EvalSummarySchema);
  if (s.total_instances === 0)
    throw new SweSrlError({ code: 'report_empty_run', message: 'the eval run has no instances', fault: 'user', file: join(dir, 'summary.json'), field: 'total_instances', hint: 'Evaluate at least one instance (swe-srl eval --instances ...).' });
  const errorClass: Record<string, string> = {};
  for (const id of s.submitted_ids) {
    const f = join(dir, id, 'report.json');
    if (!existsSync(f)) continue;
    const o = (await readJson(f, ReportExtrasSchema)).swe_srl?.outcome;
    if (o?.kind === 'infra_failure' && o.failure) errorClass[id] = o.failure;
    else if (o?.kind === 'rejected' && o.reason) errorClass[id] = `rejected: ${o.reason}`;
  }
  const links = (id: string): FileLink[] =>
    ['report.json', 'test_output.txt', 'run_instance.log'].map((f) => ({ label: f, path: join(dir, id, f) })).filter((l) => existsSync(l.path));
  return evalModel(s, { errorClass, links });
}

export const evalKind: RunKindLoader = {
  kind: 'eval',
  expects: 'summary.json with schema_version 2 (swe-srl eval)',
  matches: (p: Probe) => field(p.summary, 'schema_version') === 2 && field(p.summary, 'total_instances') !== undefined,
  async load(p) {
    const body = await loadEvalRun(p.path);
    return {
      path: p.path,
      body,
      summary: [
        ['kind', 'harness eval run'],
        ['resolve rate', `${pct(body.resolveRate)} (${body.resolved}/${body.total})`],
        ['repositories', String(body.perRepo.length)],
        ['infra failures', String(Object.values(body.infraFailures).reduce((a, b) => a + b, 0))],
      ],
      thoughts: { none: 'an eval run grades patches; it records no reasoning' },
    };
  },
};
