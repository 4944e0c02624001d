// Coverage of SWE-bench Lite + Verified by the env specs: for each row whose repository the git-remote template
// reaches, build its image, grade the gold patch (must resolve) and a no-op patch (must not: it adds one file, so
// the tests run on the unfixed code), and record per row and per repo/version: gold resolved, environment-only
// failures (tests the gold patch leaves failing), build time, image size and the Python line that graded it.
// Resumable: rows already in the JSON are kept (--force re-runs them); eval outputs are cached under
// ~/.cache/swe-srl/coverage (SWE_SRL_CACHE).
// Usage: node bin/run-ts.js bench/coverage.bench.ts [--repos a/b,c/d] [--limit N per repo] [--shard i/n]
//        [--ids id1,id2] [--force] [--workers N (rows at once, default 1)] [--out bench/results/coverage] [--note TEXT (kept in the JSON, shown in the table)]
//        [--render (only rewrite the Markdown from the JSON)] [--merge a.json,b.json (add their rows; the latest
//        finished run of a row wins)]
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { loadEnvRegistry } from '../src/config/envs.ts';
import { LocalImages } from '../src/harness/image-provider.ts';
import type { EvalOutcome } from '../src/harness/outcome.ts';
import { runEvaluation } from '../src/harness/run-evaluation.ts';
import { DockerSandboxProvider } from '../src/harness/sandbox-provider.ts';
import { DockerEngine } from '../src/sandbox/docker-engine.ts';
import { defaultCacheDir, RepoSources } from '../src/sandbox/sources.ts';
import { loadTasks } from '../src/tasks/load.ts';
import type { Task } from '../src/tasks/schema.ts';

const ROOT = resolve(import.meta.dirname, '..');
const DATA = resolve(ROOT, '../shared/data');
const NOOP_PATCH =
  'diff --git a/swe_srl_noop.txt b/swe_srl_noop.txt\nnew file mode 100644\n--- /dev/null\n+++ b/swe_srl_noop.txt\n@@ -0,0 +1 @@\n+noop\n';

export interface RowResult {
  instance_id: string;
  repo: string;
  version: string;
  datasets: string[];
  python_line?: string;
  python_version?: string;
  swebench_python?: string;
  gold_resolved: boolean;
  gold_outcome: string;
  noop_resolved: boolean | null;
  /** Tests the gold patch leaves failing (FAIL_TO_PASS and PASS_TO_PASS): the environment's fault. */
  env_failures: string[];
  /** Why the row did not grade at all (image build, sandbox), when it did not. */
  error?: string;
  build_s: number;
  image_mb?: number;
  finished_at: string;
}

export interface GroupSummary {
  repo: string;
  version: string;
  python_line: string;
  swebench_python: string;
  tried: number;
  gold_resolved: number;
  noop_resolved: number;
  env_failure_rows: string[];
  build_s: number;
  image_mb: number | null;
}

/** Picks up to `limit` rows per repo, round-robin over its versions so that a small limit still spans them (pure). */
export function pickRows(rows: Task[], o: { repos?: string[]; limit?: number; shard?: [number, number]; ids?: string[] }): Task[] {
  let pool = rows.filter((r) => (!o.repos || o.repos.includes(r.repo)) && (!o.ids || o.ids.includes(r.instance_id)));
  pool = [...pool].sort((a, b) => a.instance_id.localeCompare(b.instance_id));
  const byRepo = new Map<string, Map<string, Task[]>>();
  for (const r of pool) {
    const versions = byRepo.get(r.repo) ?? new Map<string, Task[]>();
    versions.set(r.version, [...(versions.get(r.version) ?? []), r]);
    byRepo.set(r.repo, versions);
  }
  const picked: Task[] = [];
  for (const repo of [...byRepo.keys()].sort()) {
    const queues = [...byRepo.get(repo)!.entries()].sort(([a], [b]) => a.localeCompare(b, undefined, { numeric: true })).map(([, q]) => [...q]);
    const mine: Task[] = [];
    while (queues.some((q) => q.length) && mine.length < (o.limit ?? Infinity)) {
      for (const q of queues) if (q.length && mine.length < (o.limit ?? Infinity)) mine.push(q.shift()!);
    }
    picked.push(...mine);
  }
  if (!o.shard) return picked;
  const [i, n] = o.shard;
  return picked.filter((_, k) => k % n === i);
}

/** Rows of both lists, one per instance: the latest finished run of a row wins (pure). */
export function mergeRows(a: RowResult[], b: RowResult[]): RowResult[] {
  const out = new Map<string, RowResult>();
  for (const r of [...a, ...b]) {
    const have = out.get(r.instance_id);
    if (!have || have.finished_at < r.finished_at) out.set(r.instance_id, r);
  }
  return [...out.values()].sort((x, y) => x.instance_id.localeCompare(y.instance_id));
}

/** Per repo/version totals over row results (pure). */
export function summarize(rows: RowResult[]): GroupSummary[] {
  const groups = new Map<string, RowResult[]>();
  for (const r of rows) groups.set(`${r.repo}@${r.version}`, [...(groups.get(`${r.repo}@${r.version}`) ?? []), r]);
  return [...groups.values()]
    .map((g) => {
      const sizes = g.map((r) => r.image_mb).filter((x): x is number => x !== undefined);
      return {
        repo: g[0]!.repo,
        version: g[0]!.version,
        python_line: [...new Set(g.map((r) => r.python_line ? `${r.python_line} (${r.python_version})` : '?'))].join(', '),
        swebench_python: g[0]!.swebench_python ?? '?',
        tried: g.length,
        gold_resolved: g.filter((r) => r.gold_resolved).length,
        noop_resolved: g.filter((r) => r.noop_resolved).length,
        env_failure_rows: g.filter((r) => !r.gold_resolved).map((r) => r.instance_id),
        build_s: Math.round(g.reduce((s, r) => s + r.build_s, 0)),
        image_mb: sizes.length ? Math.round(Math.max(...sizes)) : null,
      };
    })
    .sort((a, b) => a.repo.localeCompare(b.repo) || a.version.localeCompare(b.version, undefined, { numeric: true }));
}

export interface RepoSummary {
  repo: string;
  python_lines: string;
  lite: { tried: number; gold_resolved: number };
  verified: { tried: number; gold_resolved: number };
  all: { tried: number; gold_resolved: number };
}

/** Per repo totals, split by dataset (a row in both Lite and Verified counts in each) (pure). */
export function summarizeRepos(rows: RowResult[]): RepoSummary[] {
  const count = (g: RowResult[]) => ({ tried: g.length, gold_resolved: g.filter((r) => r.gold_resolved).length });
  return [...new Set(rows.map((r) => r.repo))].sort().map((repo) => {
    const g = rows.filter((r) => r.repo === repo);
    const lines = [...new Set(g.filter((r) => r.python_line).map((r) => `${r.python_line} (${r.python_version})`))].sort();
    return {
      repo,
      python_lines: lines.join(', ') || '?',
      lite: count(g.filter((r) => r.datasets.includes('lite'))),
      verified: count(g.filter((r) => r.datasets.includes('verified'))),
      all: count(g),
    };
  });
}

function failing(o: EvalOutcome): string[] {
  if (o.kind !== 'graded') return [];
  return [...o.testsStatus.FAIL_TO_PASS.failure, ...o.testsStatus.PASS_TO_PASS.failure];
}

function describeOutcome(o: EvalOutcome): string {
  if (o.kind === 'graded') return `graded ${o.resolution}`;
  if (o.kind === 'infra_failure') return `infra_failure ${o.failure}`;
  if (o.kind === 'rejected') return `rejected ${o.reason}`;
  return o.kind;
}

function imageMb(tag: string): number | undefined {
  try {
    return Number(execFileSync('docker', ['image', 'inspect', '-f', '{{.Size}}', tag], { encoding: 'utf8' }).trim()) / 1e6;
  } catch {
    return undefined;
  }
}

export function markdown(o: { rows: RowResult[]; unreachable: Record<string, number>; template: string; note?: string }): string {
  const lines = [
    '# SWE-bench Lite + Verified coverage of the env specs',
    '',
    'Gold must resolve; the no-op patch (adds one file) must not. "Env failures" are rows whose gold patch does not',
    'resolve here; their failing tests are listed below. Build time is the image build of the rows (env + instance;',
    'the env image is built once per group, so later rows take seconds). Generated by bench/coverage.bench.ts.',
    '',
    '| repo | version | SWE-bench Python | base (Python) | rows | gold resolved | no-op resolved | build s | image MB |',
    '|---|---|---|---|---|---|---|---|---|',
    ...summarize(o.rows).map(
      (g) =>
        `| ${g.repo} | ${g.version} | ${g.swebench_python} | ${g.python_line} | ${g.tried} | ${g.gold_resolved} | ${g.noop_resolved} | ${g.build_s} | ${g.image_mb ?? '?'} |`,
    ),
    '',
    '## Per repository',
    '',
    'Gold resolved / rows tried; a row in both datasets counts in each.',
    '',
    '| repo | base (Python) | Lite | Verified | all |',
    '|---|---|---|---|---|',
    ...summarizeRepos(o.rows).map(
      (s) =>
        `| ${s.repo} | ${s.python_lines} | ${s.lite.gold_resolved} / ${s.lite.tried} | ${s.verified.gold_resolved} / ${s.verified.tried} | ${s.all.gold_resolved} / ${s.all.tried} |`,
    ),
    '',
    '## Environment-only failures',
    '',
  ];
  const bad = o.rows.filter((r) => !r.gold_resolved);
  if (!bad.length) lines.push('None.');
  for (const r of bad) {
    const tests = r.env_failures.slice(0, 10).join(', ') + (r.env_failures.length > 10 ? `, ... (${r.env_failures.length})` : '');
    lines.push(`- ${r.instance_id} (${r.version}, ${r.python_line ?? '?'}): ${r.gold_outcome}${tests ? `; failing: ${tests}` : ''}${r.error ? `; ${r.error}` : ''}`);
  }
  const un = Object.entries(o.unreachable);
  lines.push('', '## Not tried', '');
  lines.push(un.length ? `Repositories the git-remote template did not reach: ${un.map(([r, n]) => `${r} (${n} rows)`).join(', ')}.` : 'Every repository was reachable.');
  if (o.note) lines.push('', o.note);
  return `${lines.join('\n')}\n`;
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const out = resolve(arg('out') ?? join(ROOT, 'bench/results/coverage'));
  const shard = arg('shard')?.split('/').map(Number) as [number, number] | undefined;
  const rowsByDataset = await Promise.all(
    (['lite', 'verified'] as const).map(async (d) => [d, await loadTasks(join(DATA, `swe-bench-${d}.json`))] as const),
  );
  const datasetsOf = new Map<string, string[]>();
  const all = new Map<string, Task>();
  for (const [d, rows] of rowsByDataset) {
    for (const r of rows) {
      all.set(r.instance_id, r);
      datasetsOf.set(r.instance_id, [...(datasetsOf.get(r.instance_id) ?? []), d]);
    }
  }
  const sources = new RepoSources({ remoteTemplate: process.env.SWE_SRL_GIT_REMOTE ?? resolve(ROOT, '../.mirror/{owner}+{name}/repo') });
  const unreachable: Record<string, number> = {};
  for (const r of all.values()) if (!sources.reachable(r.repo)) unreachable[r.repo] = (unreachable[r.repo] ?? 0) + 1;
  const reachable = [...all.values()].filter((r) => sources.reachable(r.repo));
  const picked = pickRows(reachable, {
    repos: arg('repos')?.split(','),
    limit: arg('limit') ? Number(arg('limit')) : undefined,
    shard: shard ? [shard[0]!, shard[1]!] : undefined,
    ids: arg('ids')?.split(','),
  });

  const jsonPath = `${out}.json`;
  const previousDoc = existsSync(jsonPath) ? (JSON.parse(await readFile(jsonPath, 'utf8')) as { rows?: RowResult[]; note?: string }) : undefined;
  const previous: RowResult[] = previousDoc?.rows ?? [];
  const results = new Map(previous.map((r) => [r.instance_id, r]));
  const force = process.argv.includes('--force');
  const engine = new DockerEngine();
  const images = new LocalImages({ engine, envs: await loadEnvRegistry(), sources, onLog: (tag, line) => process.stderr.write(`  [${tag}] ${line}\n`) });
  const sandboxes = new DockerSandboxProvider({ engine, images });
  const cache = join(defaultCacheDir(), '..', 'coverage');
  const save = async () => {
    await mkdir(dirname(out), { recursive: true });
    const rows = [...results.values()].sort((a, b) => a.instance_id.localeCompare(b.instance_id));
    const note = arg('note') ?? (previousDoc?.note as string | undefined);
    const doc = { version: 1, template: sources.template.includes('/.mirror/') ? '../.mirror/{owner}+{name}/repo' : sources.template, unreachable, ...(note ? { note } : {}), summary: summarize(rows), rows };
    await writeFile(jsonPath, `${JSON.stringify(doc, null, 2)}\n`);
    await writeFile(`${out}.md`, markdown({ rows, unreachable, template: doc.template, note }));
  };
  if (process.argv.includes('--render')) return save();
  if (arg('merge')) {
    // Shards run elsewhere (or into other --out files) join this file: per row, the latest finished run wins.
    for (const file of arg('merge')!.split(',')) {
      const doc = JSON.parse(await readFile(file, 'utf8')) as { rows?: RowResult[] };
      for (const r of mergeRows([...results.values()], doc.rows ?? [])) results.set(r.instance_id, r);
    }
    return save();
  }

  const todo = picked.filter((t) => force || !results.has(t.instance_id));
  const workers = arg('workers') ? Number(arg('workers')) : 1;
  if (!Number.isInteger(workers) || workers < 1) throw new Error(`--workers must be a whole number >= 1, got ${arg('workers')}`);
  console.error(`coverage: ${picked.length} rows picked, ${todo.length} to try, ${workers} at a time (${Object.keys(unreachable).length} repos unreachable)`);
  // Saves one at a time, in the order rows finish.
  let saving: Promise<void> = Promise.resolve();
  const tryRow = async (task: Task): Promise<void> => {
    const t0 = performance.now();
    const base = { instance_id: task.instance_id, repo: task.repo, version: task.version, datasets: datasetsOf.get(task.instance_id) ?? [] };
    let row: RowResult;
    try {
      const image = await images.prepare(task);
      const buildS = (performance.now() - t0) / 1000;
      const run = async (name: string, patch: string) =>
        (
          await runEvaluation({
            tasks: [task],
            predictions: [{ instance_id: task.instance_id, model_patch: patch, model_name_or_path: name }],
            sandboxes,
            outDir: join(cache, name),
            runId: `coverage-${name}`,
            // The benchmark resumes by row; an earlier report of the same patch may come from another image.
            force: true,
          })
        ).outcomes.get(task.instance_id)!;
      const gold = await run('gold', task.patch);
      const noop = gold.kind === 'graded' ? await run('noop', NOOP_PATCH) : undefined;
      row = {
        ...base,
        ...image.python,
        gold_resolved: gold.kind === 'graded' && gold.resolved,
        gold_outcome: describeOutcome(gold),
        noop_resolved: noop ? noop.kind === 'graded' && noop.resolved : null,
        env_failures: failing(gold),
        ...(gold.kind === 'infra_failure' || gold.kind === 'rejected' ? { error: gold.detail.slice(0, 300) } : {}),
        build_s: Math.round(buildS * 10) / 10,
        image_mb: imageMb(image.image),
        finished_at: new Date().toISOString(),
      };
    } catch (e) {
      row = {
        ...base,
        gold_resolved: false,
        gold_outcome: 'not built',
        noop_resolved: null,
        env_failures: [],
        error: (e as Error).message.slice(0, 300),
        build_s: Math.round((performance.now() - t0) / 100) / 10,
        finished_at: new Date().toISOString(),
      };
    }
    results.set(task.instance_id, row);
    console.error(`${row.instance_id}: gold ${row.gold_outcome}, no-op resolved ${row.noop_resolved}, ${row.python_line ?? '?'} ${row.python_version ?? ''}, build ${row.build_s}s`);
    saving = saving.then(save);
    await saving;
  };
  // Rows run `workers` at a time (one may build its image while another runs its tests).
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(workers, todo.length) }, async () => {
      while (next < todo.length) await tryRow(todo[next++]!);
    }),
  );
  await save();
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) await main();
