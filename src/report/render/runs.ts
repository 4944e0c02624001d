// One section per run, by kind: charts and tables from the run's model. Training runs are also drawn together
// (training.ts); here each gets its own summary.
import { barChart, histogram } from '../plot/bar-chart.ts';
import { lineChart } from '../plot/line-chart.ts';
import type { EvalModel, EvaluationModel, ReplayModel, RunModel, SrlModel, TrajectoriesModel } from '../model.ts';
import { charts, keyValues, links, note, table } from './html.ts';

const fmt = (x: number | null) => (x === null ? '' : Number.isInteger(x) ? String(x) : x.toFixed(3));

/** Bars of a label -> count map. */
function countBars(title: string, counts: Record<string, number>): string {
  return barChart({ title, bars: Object.entries(counts).map(([label, value]) => ({ label, value })) });
}

export function evalSection(m: EvalModel, pageDir: string): string {
  return (
    charts([
      barChart({ title: 'resolve rate', bars: [{ label: 'resolved', value: m.resolveRate, note: `${m.resolved}/${m.total}` }], yMax: 1, width: 200 }),
      barChart({ title: 'resolve rate per repository', bars: m.perRepo.map((r) => ({ label: r.repo, value: r.total ? r.resolved / r.total : 0, note: `${r.resolved}/${r.total}` })), yMax: 1 }),
      Object.keys(m.infraFailures).length ? countBars('infrastructure failures by kind', m.infraFailures) : '',
    ]) +
    (Object.keys(m.infraFailures).length ? '' : note('No infrastructure failures.')) +
    table({
      head: ['instance', 'repository', 'verdict', 'error class', 'files'],
      rows: m.instances.map((i) => [i.id, i.repo, i.verdict, i.errorClass, links(i.links, pageDir)]),
      cls: 'data instances',
    })
  );
}

export function replaySection(m: ReplayModel, pageDir: string): string {
  return (
    charts([
      lineChart({
        title: 'observation similarity per step',
        series: m.trajectories.map((t) => ({ name: t.id, points: t.similarity.map((s, i) => [i + 1, s] as const) })),
        xLabel: 'step',
        yLabel: 'similarity',
        yZero: true,
      }),
      barChart({ title: 'first divergence (step; 0 bars: none)', bars: m.trajectories.map((t) => ({ label: t.id, value: t.firstDivergence ?? 0, note: t.firstDivergence === null ? 'none' : String(t.firstDivergence) })) }),
    ]) +
    table({
      head: ['trajectory', 'verdict', 'steps reproduced', 'first divergence', 'file'],
      rows: m.trajectories.map((t) => [t.id, t.verdict, `${t.stepsReproduced}/${t.stepsTotal}`, t.firstDivergence === null ? 'none' : String(t.firstDivergence), links([t.link], pageDir)]),
    }) +
    note(`A step is reproduced at similarity >= ${m.threshold}.`)
  );
}

export function srlSection(m: SrlModel): string {
  return charts([
    histogram({ title: 'prompt length (characters)', values: m.promptChars, xLabel: 'examples' }),
    histogram({ title: 'target length (characters)', values: m.targetChars, xLabel: 'examples' }),
    countBars('tool mix of targets', m.toolMix),
  ]);
}

export function trajectoriesSection(m: TrajectoriesModel): string {
  return charts([histogram({ title: 'steps per trajectory', values: m.stepsPerTrajectory, xLabel: 'trajectories' }), countBars('tool mix of actions', m.toolMix)]);
}

export function evaluationSection(m: EvaluationModel, pageDir: string): string {
  const byStatus: Record<string, number> = {};
  for (const r of m.rows) byStatus[r.status || '(none)'] = (byStatus[r.status || '(none)'] ?? 0) + 1;
  const rewards = m.rows.map((r) => r.reward).filter((r): r is number => r !== null);
  return (
    (m.rows.length ? charts([countBars('rows by status', byStatus), rewards.length ? histogram({ title: 'reward', values: rewards, bins: 8, xLabel: 'rows' }) : '']) : '') +
    (m.rows.length ? table({ head: ['id', 'status', 'reward'], rows: m.rows.map((r) => [r.id, r.status, fmt(r.reward)]) }) : '') +
    (m.harness ? `<h3>harness run (eval/)</h3>${evalSection(m.harness, pageDir)}` : '')
  );
}

/** The kind-specific part of a run's section (training runs: their own summary only; charts are shared). */
export function runBody(r: RunModel, pageDir: string): string {
  const b = r.body;
  switch (b.kind) {
    case 'eval':
      return evalSection(b, pageDir);
    case 'replay':
      return replaySection(b, pageDir);
    case 'srl':
      return srlSection(b);
    case 'trajectories':
      return trajectoriesSection(b);
    case 'evaluation':
      return evaluationSection(b, pageDir);
    case 'training':
      return note('Charted with the other training runs under "Training".');
  }
}

export { keyValues };
