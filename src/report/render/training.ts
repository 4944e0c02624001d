// Training runs drawn together: one chart per quantity, one line per run (and per train/validation), so SRL, SFT
// and RLVR runs compare on the same axes.
import { lineChart, type Series } from '../plot/line-chart.ts';
import type { RunModel, TrainingModel } from '../model.ts';
import { charts } from './html.ts';

type Named = { name: string; m: TrainingModel };

/** The charts: each with one series per run and field, those with no data at all left out (pure). */
export function trainingChartSpecs(runs: readonly Named[]): Array<{ title: string; yLabel: string; series: Series[]; yZero?: boolean }> {
  const one = runs.length === 1;
  const series = (field: string, suffix: string): Series[] =>
    runs
      .filter((r) => r.m.metrics[field])
      .map((r) => ({ name: one ? suffix : `${r.name} ${suffix}`, points: r.m.steps.map((s, i) => [s, r.m.metrics[field]![i]!] as const) }));
  const specs = [
    { title: 'reward', yLabel: 'reward', series: [...series('reward_mean', 'train'), ...series('val_reward', 'val')] },
    { title: 'format-error rate', yLabel: 'rate', yZero: true, series: [...series('format_error_rate', 'train'), ...series('val_format_error_rate', 'val')] },
    { title: 'kept fraction (dynamic sampling)', yLabel: 'fraction', yZero: true, series: series('kept_fraction', 'kept') },
    { title: 'KL to the reference', yLabel: 'KL', series: series('kl', 'kl') },
    { title: 'clip fraction', yLabel: 'fraction', yZero: true, series: series('clip_frac', 'clip') },
    { title: 'tokens per second', yLabel: 'tokens/s', yZero: true, series: series('tokens_per_s', 'tokens/s') },
    { title: 'loss', yLabel: 'loss', series: series('loss', 'loss') },
    {
      title: 'reasoning patterns of validation replies',
      yLabel: 'share',
      yZero: true,
      series: [...series('plan_share', 'plan ahead'), ...series('revise_share', 'revise'), ...series('verify_share', 'verify')],
    },
    { title: 'reasoning length of validation replies', yLabel: 'chars', yZero: true, series: series('think_length', '<think> chars') },
  ];
  return specs.filter((s) => s.series.length > 0);
}

/** The shared training section; empty when no run is a training run. */
export function trainingSection(runs: readonly RunModel[]): string {
  const named = runs.flatMap((r) => (r.body.kind === 'training' ? [{ name: r.name, m: r.body }] : []));
  if (named.length === 0) return '';
  const svgs = trainingChartSpecs(named).map((s) => lineChart({ ...s, xLabel: 'step' }));
  return `<section id="training"><h2>Training (${named.map((n) => n.name).join(', ')})</h2>${charts(svgs)}</section>`;
}
