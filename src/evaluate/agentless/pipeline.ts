// Agentless-mini evaluation of a policy (SWE-RL's pipeline): per task, localization (the issue and the repository's
// files at the base commit -> at most K files to edit), repair (the issue and those files -> SEARCH/REPLACE edits,
// n samples), edits applied in the task's sandbox and turned into a patch (git diff), one patch selected by majority
// vote, and the selected patches graded by the harness as SWE-bench grades predictions.
//
// Tasks go through in rounds of `parallel` (one generate request per stage for the whole round, so a GPU policy
// batches them). Each finished task is appended to DIR/generated.jsonl at once; a re-run skips those and the
// gradings already done (the harness's own resume), then rewrites DIR/rows.jsonl and DIR/summary.json.
import { existsSync } from 'node:fs';
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EvalTask } from '../../harness/image-provider.ts';
import type { EvalOutcome } from '../../harness/outcome.ts';
import type { RunSummary } from '../../harness/summary.ts';
import type { SandboxProvider } from '../../harness/sandbox-provider.ts';
import type { OracleFile } from '../../oracle/prompt.ts';
import type { Policy } from '../../policy/types.ts';
import type { Sandbox, SandboxLimits } from '../../sandbox/types.ts';
import type { SampleSettings } from '../../train/sample.ts';
import { writeFileAtomic, writeJsonAtomic } from '../../util/atomic.ts';
import { filesTouchedByPatch } from '../../util/patch-paths.ts';
import { shellQuote } from '../../util/shell.ts';
import { gradePatches } from '../grade-patches.ts';
import { localizationRecall, localize, type Localization } from './localize.ts';
import { DEFAULT_AGENTLESS_PROMPT, localizePrompt, repairPrompt, type AgentlessPromptOptions } from './prompts.ts';
import { applySearchReplace, parseSolutionResponse, type EditFailure, type SearchReplaceEdit } from './search-replace.ts';
import { regressionEligible, regressionResults, type RegressionResult } from './regression.ts';
import { majorityVote, normalizePatch } from './vote.ts';

export const AGENTLESS_RECORD_VERSION = 1;

export interface RepairSample {
  reply: string;
  /** ok, or why the reply does not parse (missing_think, missing_solution, no_edits, malformed_block, too_many_edits). */
  status: string;
  edits: SearchReplaceEdit[];
  /** Edits that did not apply (they are skipped; the others make the patch). */
  failures: EditFailure[];
  patch: string;
}

/** What generation made for one task (a line of generated.jsonl). */
export interface AgentlessRecord {
  version: typeof AGENTLESS_RECORD_VERSION;
  instance_id: string;
  repo: string;
  localization: Localization & {
    reply: string;
    /** Files of the repository listed to the policy. */
    repo_files: number;
    /** The existing files the gold patch edits, and how many of them were localized. */
    gold_files: string[];
    recall: number;
    all_gold: boolean;
  };
  samples: RepairSample[];
  /** How the graded sample was chosen: majority vote, or regression tests then the vote among the best. */
  selection?: AgentlessSelection;
  /** Per sample, its regression run (selection `regression`; null: an empty patch, or no PASS_TO_PASS tests). */
  regression?: Array<RegressionResult | null>;
  /** The sample whose patch is graded, its votes and the number of distinct changes among the samples. */
  selected: number;
  votes: number;
  distinct: number;
  patch: string;
  /** Why the task could not be run (its sandbox did not start, ...): an infrastructure failure, run again next time. */
  error?: string;
}

/** A record with its verdict (a line of rows.jsonl). */
export interface AgentlessRow extends AgentlessRecord {
  /** resolved, unresolved, empty_patch, rejected, or infra_failure:<kind>, generation_error. */
  verdict: string;
  resolved: boolean;
  /** The verdict is an infrastructure failure (kept apart from the policy's failures). */
  infra: boolean;
}

export interface AgentlessSummary {
  version: typeof AGENTLESS_RECORD_VERSION;
  tasks: number;
  resolved: number;
  resolve_rate: number;
  /** Tasks the infrastructure failed (generation or grading), and the resolve rate over the others. */
  infra_failures: number;
  infra_failure_ids: string[];
  resolve_rate_excluding_infra: number;
  by_repo: Record<string, { tasks: number; resolved: number; resolve_rate: number }>;
  verdicts: Record<string, number>;
  localization: {
    /** Mean share of the gold files localized, and the share of tasks with all of them localized. */
    recall: number;
    all_gold_rate: number;
    /** Tasks whose localization fell back to word overlap. */
    fallback: number;
  };
  samples_per_task: number;
  /** Repair replies that do not parse, and edits that did not apply. */
  format_errors: number;
  failed_edits: number;
  empty_patches: number;
  harness: RunSummary;
}

/** vote: majority vote over the samples' changes; regression: only the samples that keep the most PASS_TO_PASS tests passing vote. */
export const AGENTLESS_SELECTIONS = ['vote', 'regression'] as const;
export type AgentlessSelection = (typeof AGENTLESS_SELECTIONS)[number];

export interface AgentlessOptions {
  /** Started only when some task still needs generation. */
  policy: () => Promise<Policy>;
  tasks: readonly EvalTask[];
  sandboxes: SandboxProvider;
  outDir: string;
  /** Sampling of both stages; n is the number of repair samples (localization takes one). */
  sampling: SampleSettings;
  prompt?: Partial<AgentlessPromptOptions>;
  /** Tasks generated together (one generate request per stage). */
  parallel: number;
  /** Sandboxes grading at once. */
  workers: number;
  limits?: SandboxLimits;
  /** Edits one reply may hold at most. */
  maxEdits?: number;
  /** How one of several repair samples is chosen (default vote). */
  selection?: AgentlessSelection;
  /** Name of the policy in the predictions. */
  model: string;
  onRecord?: (r: AgentlessRecord, reused: boolean) => void;
  onGraded?: (instanceId: string, outcome: EvalOutcome) => void;
}

/** Runs (or finishes) the evaluation; writes generated.jsonl, predictions.jsonl, eval/, rows.jsonl, summary.json. */
export async function runAgentlessEvaluation(o: AgentlessOptions): Promise<AgentlessSummary> {
  await mkdir(o.outDir, { recursive: true });
  const genFile = join(o.outDir, 'generated.jsonl');
  const records = new Map<string, AgentlessRecord>();
  for (const r of await readRecords(genFile)) if (!r.error && r.samples.length === o.sampling.n) records.set(r.instance_id, r);
  const pending = o.tasks.filter((t) => !records.has(t.instance_id));
  for (const t of o.tasks) if (records.has(t.instance_id)) o.onRecord?.(records.get(t.instance_id)!, true);
  if (pending.length) {
    const policy = await o.policy();
    try {
      for (let round = 0; round * o.parallel < pending.length; round++) {
        const chunk = pending.slice(round * o.parallel, (round + 1) * o.parallel);
        for (const r of await generateRound(o, policy, chunk, round)) {
          records.set(r.instance_id, r);
          await appendFile(genFile, `${JSON.stringify(r)}\n`);
          o.onRecord?.(r, false);
        }
      }
    } finally {
      await policy.close();
    }
  }
  const graded = await gradePatches({ ...o, patchOf: (id) => records.get(id)!.patch });
  const rows = o.tasks.map((t) => withVerdict(records.get(t.instance_id)!, graded.outcomes.get(t.instance_id)));
  await writeFileAtomic(join(o.outDir, 'rows.jsonl'), rows.map((r) => `${JSON.stringify(r)}\n`).join(''));
  const summary = summarizeAgentless(rows, o.sampling.n, graded.summary);
  await writeJsonAtomic(join(o.outDir, 'summary.json'), summary);
  return summary;
}

// The records of an earlier run; a damaged line is skipped (its task runs again).
async function readRecords(file: string): Promise<AgentlessRecord[]> {
  if (!existsSync(file)) return [];
  const out: AgentlessRecord[] = [];
  for (const line of (await readFile(file, 'utf8')).split('\n')) {
    if (!line.trim()) continue;
    try {
      const r = JSON.parse(line) as AgentlessRecord;
      if (r.version === AGENTLESS_RECORD_VERSION && typeof r.instance_id === 'string' && Array.isArray(r.samples)) out.push(r);
    } catch {
      // A line cut by a killed run.
    }
  }
  return out;
}

interface Live {
  task: EvalTask;
  sandbox: Sandbox;
  repoFiles: string[];
}

// One round: sandboxes opened, both stages sampled for the whole round, patches made, sandboxes closed.
async function generateRound(o: AgentlessOptions, policy: Policy, chunk: readonly EvalTask[], round: number): Promise<AgentlessRecord[]> {
  const opts = { ...DEFAULT_AGENTLESS_PROMPT, ...o.prompt };
  const failed = new Map<string, string>();
  const opened = await Promise.all(
    chunk.map(async (task): Promise<Live | undefined> => {
      let sandbox: Sandbox | undefined;
      try {
        sandbox = (await o.sandboxes.open(task, { labels: { 'swe-srl.agentless': task.instance_id } })).sandbox;
        return { task, sandbox, repoFiles: await listFiles(sandbox) };
      } catch (e) {
        await sandbox?.close().catch(() => undefined);
        failed.set(task.instance_id, (e as Error).message);
        return undefined;
      }
    }),
  );
  const live = opened.filter((l): l is Live => l !== undefined);
  try {
    const seed = o.sampling.seed + 2 * round;
    const locReplies = live.length
      ? await policy.sample(
          live.map((l) => localizePrompt({ issue: l.task.problem_statement, files: l.repoFiles, opts })),
          { ...o.sampling, n: 1, seed },
        )
      : { completions: [] };
    const located = await Promise.all(
      live.map(async (l, i) => {
        const reply = locReplies.completions[i]?.[0]?.text ?? '';
        const loc = localize({ reply, issue: l.task.problem_statement, repoFiles: l.repoFiles, maxFiles: opts.maxFiles });
        const contents = await readFiles(l.sandbox, loc.files);
        return { reply, loc, contents };
      }),
    );
    const repReplies = live.length
      ? await policy.sample(
          live.map((l, i) => {
            const files: OracleFile[] = [...located[i]!.contents].map(([path, content]) => ({ path, content }));
            return repairPrompt({ issue: l.task.problem_statement, files, opts });
          }),
          { ...o.sampling, seed: seed + 1 },
        )
      : { completions: [] };
    const made = await Promise.all(
      live.map(async (l, i): Promise<AgentlessRecord> => {
        const { reply, loc, contents } = located[i]!;
        const gold = filesTouchedByPatch(l.task.patch).filter((p) => l.repoFiles.includes(p));
        const recall = localizationRecall(loc.files, gold);
        const samples: RepairSample[] = [];
        for (const c of repReplies.completions[i] ?? []) samples.push(await repairSample(l.sandbox, c.text, contents, o.maxEdits));
        const patches = samples.map((s) => s.patch);
        const selection = o.selection ?? 'vote';
        const regression =
          selection === 'regression' && new Set(patches.filter((p) => p.trim()).map(normalizePatch)).size > 1
            ? await regressionResults({ sandboxes: o.sandboxes, task: l.task, patches })
            : undefined;
        const vote = majorityVote(patches, regression && regressionEligible(regression));
        return {
          version: AGENTLESS_RECORD_VERSION,
          instance_id: l.task.instance_id,
          repo: l.task.repo,
          localization: { ...loc, reply, repo_files: l.repoFiles.length, gold_files: gold, recall, all_gold: recall === 1 },
          samples,
          selection,
          ...(regression ? { regression } : {}),
          selected: vote.index,
          votes: vote.votes,
          distinct: vote.distinct,
          patch: samples[vote.index]?.patch ?? '',
        };
      }),
    );
    const byId = new Map(made.map((r) => [r.instance_id, r]));
    return chunk.map((t) => byId.get(t.instance_id) ?? errorRecord(t, failed.get(t.instance_id) ?? 'not generated'));
  } finally {
    await Promise.all(live.map((l) => l.sandbox.close().catch(() => undefined)));
  }
}

function errorRecord(t: EvalTask, error: string): AgentlessRecord {
  const localization = { files: [], source: 'policy' as const, unknown: [], reply: '', repo_files: 0, gold_files: [], recall: 0, all_gold: false };
  return { version: AGENTLESS_RECORD_VERSION, instance_id: t.instance_id, repo: t.repo, localization, samples: [], selected: -1, votes: 0, distinct: 0, patch: '', error };
}

/** The repository's tracked files at the base commit. */
async function listFiles(sandbox: Sandbox): Promise<string[]> {
  const r = await sandbox.exec(`git -C ${shellQuote(sandbox.workdir)} -c core.quotepath=false ls-files`, { maxOutputBytes: 64 << 20 });
  if (r.exitCode !== 0) throw new Error(`git ls-files failed: ${r.output.slice(-300)}`);
  return r.output.split('\n').filter(Boolean);
}

// Contents of those paths that are files of the repository (others are left out).
async function readFiles(sandbox: Sandbox, paths: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const p of paths) {
    if (p.split('/').includes('..')) continue;
    const abs = `${sandbox.workdir}/${p}`;
    if ((await sandbox.exec(`test -f ${shellQuote(abs)}`)).exitCode === 0) out.set(p, await sandbox.readFile(abs));
  }
  return out;
}

// One repair reply: parsed, applied to the files (files it names beyond those shown are read too), and turned into
// a patch by git diff in the sandbox, whose tree is then put back as it was.
async function repairSample(sandbox: Sandbox, reply: string, shown: ReadonlyMap<string, string>, maxEdits?: number): Promise<RepairSample> {
  const parsed = parseSolutionResponse(reply, { maxEdits });
  if (!parsed.ok) return { reply, status: parsed.reason, edits: [], failures: [], patch: '' };
  const files = new Map(shown);
  const extra = [...new Set(parsed.edits.map((e) => e.path))].filter((p) => !files.has(p));
  for (const [p, c] of await readFiles(sandbox, extra)) files.set(p, c);
  const applied = applySearchReplace(files, parsed.edits);
  const written = [...applied.files.keys()].filter((p) => !p.split('/').includes('..'));
  let patch = '';
  try {
    for (const p of written) {
      const abs = `${sandbox.workdir}/${p}`;
      if (!files.has(p)) await sandbox.exec(`mkdir -p "$(dirname ${shellQuote(abs)})"`);
      await sandbox.writeFile(abs, applied.files.get(p)!);
    }
    if (written.length) patch = await sandbox.diff();
  } finally {
    if (written.length) {
      const q = written.map((p) => shellQuote(p)).join(' ');
      await sandbox.exec(`cd ${shellQuote(sandbox.workdir)} && git checkout -q -- ${written.filter((p) => files.has(p)).map(shellQuote).join(' ') || '.'} 2>/dev/null; git clean -fdq -- ${q}`);
    }
  }
  return { reply, status: 'ok', edits: parsed.edits, failures: applied.failures, patch };
}

/** A record with the harness's verdict (undefined: not graded). */
export function withVerdict(r: AgentlessRecord, outcome: EvalOutcome | undefined): AgentlessRow {
  if (r.error) return { ...r, verdict: 'generation_error', resolved: false, infra: true };
  if (!outcome) return { ...r, verdict: 'not_graded', resolved: false, infra: true };
  switch (outcome.kind) {
    case 'graded':
      return { ...r, verdict: outcome.resolved ? 'resolved' : 'unresolved', resolved: outcome.resolved, infra: false };
    case 'empty_patch':
      return { ...r, verdict: 'empty_patch', resolved: false, infra: false };
    case 'rejected':
      return { ...r, verdict: 'rejected', resolved: false, infra: false };
    case 'infra_failure':
      return { ...r, verdict: `infra_failure:${outcome.failure}`, resolved: false, infra: outcome.fault !== 'model' };
  }
}

/** The summary of graded rows (pure). */
export function summarizeAgentless(rows: readonly AgentlessRow[], n: number, harness: RunSummary): AgentlessSummary {
  const count = (f: (r: AgentlessRow) => boolean) => rows.filter(f).length;
  const rate = (a: number, b: number) => (b ? a / b : 0);
  const resolved = count((r) => r.resolved);
  const infra = rows.filter((r) => r.infra);
  const by_repo: AgentlessSummary['by_repo'] = {};
  for (const r of rows) {
    const b = (by_repo[r.repo] ??= { tasks: 0, resolved: 0, resolve_rate: 0 });
    b.tasks++;
    if (r.resolved) b.resolved++;
    b.resolve_rate = b.resolved / b.tasks;
  }
  const verdicts: Record<string, number> = {};
  for (const r of rows) verdicts[r.verdict] = (verdicts[r.verdict] ?? 0) + 1;
  const ran = rows.filter((r) => !r.error);
  const samples = ran.flatMap((r) => r.samples);
  return {
    version: AGENTLESS_RECORD_VERSION,
    tasks: rows.length,
    resolved,
    resolve_rate: rate(resolved, rows.length),
    infra_failures: infra.length,
    infra_failure_ids: infra.map((r) => r.instance_id),
    resolve_rate_excluding_infra: rate(resolved, rows.length - infra.length),
    by_repo,
    verdicts,
    localization: {
      recall: rate(ran.reduce((s, r) => s + r.localization.recall, 0), ran.length),
      all_gold_rate: rate(ran.filter((r) => r.localization.all_gold).length, ran.length),
      fallback: ran.filter((r) => r.localization.source === 'fallback').length,
    },
    samples_per_task: n,
    format_errors: samples.filter((s) => s.status !== 'ok').length,
    failed_edits: samples.reduce((s, x) => s + x.failures.length, 0),
    empty_patches: ran.filter((r) => !r.patch.trim()).length,
    harness,
  };
}
