// Learning-rate schedules: the lr for an optimizer step as a pure function of the step, so a resumed run uses
// exactly the lr the uninterrupted run would have.

export type LrSchedule = 'constant' | 'linear';

/** The lr of step (1-based) out of total: constant, or linear decay from lr to lr * finalRatio at the last step. */
export function lrAt(o: { lr: number; schedule: LrSchedule; step: number; total: number; finalRatio: number }): number {
  if (o.schedule === 'constant' || o.total <= 1) return o.lr;
  const t = Math.min(1, Math.max(0, (o.step - 1) / (o.total - 1)));
  return o.lr * (1 - t * (1 - o.finalRatio));
}
