// The report's data model: what each kind of run folder contributes, computed from its files and free of HTML.
import type { ThinkStats } from './think.ts';

export const RUN_KINDS = ['eval', 'training', 'replay', 'srl', 'evaluation', 'trajectories'] as const;
export type RunKind = (typeof RUN_KINDS)[number];

/** A file of the run the page links to (absolute path; the page makes it relative to itself). */
export interface FileLink {
  label: string;
  path: string;
}

export interface EvalInstance {
  id: string;
  repo: string;
  /** resolved | unresolved | empty_patch | error | incomplete */
  verdict: string;
  /** An infra-failure kind or a rejection reason; empty when graded. */
  errorClass: string;
  links: FileLink[];
}

export interface EvalModel {
  kind: 'eval';
  resolveRate: number;
  total: number;
  resolved: number;
  perRepo: Array<{ repo: string; resolved: number; total: number }>;
  infraFailures: Record<string, number>;
  instances: EvalInstance[];
}

/** One metrics.jsonl line as numbers by field (null where the step did not record it). */
export interface TrainingModel {
  kind: 'training';
  mode: string;
  steps: number[];
  metrics: Record<string, Array<number | null>>;
  /** Steps skipped for lack of a reward signal. */
  skipped: number;
}

export interface ReplayModel {
  kind: 'replay';
  trajectories: Array<{ id: string; verdict: string; stepsTotal: number; stepsReproduced: number; firstDivergence: number | null; similarity: Array<number | null>; link: FileLink }>;
  threshold: number;
  missing: number;
  errors: number;
}

export interface SrlModel {
  kind: 'srl';
  examples: number;
  instances: number;
  splits: Record<string, number>;
  promptChars: number[];
  targetChars: number[];
  /** bash, str_replace_editor:<command>, submit, other. */
  toolMix: Record<string, number>;
}

export interface EvaluationModel {
  kind: 'evaluation';
  /** oracle, agent, agentless, or evaluation when the files do not say. */
  mode: string;
  /** Top-level numbers of summary.json. */
  numbers: Record<string, number>;
  rows: Array<{ id: string; status: string; reward: number | null }>;
  /** The harness run under eval/ (agent mode). */
  harness?: EvalModel;
}

export interface TrajectoriesModel {
  kind: 'trajectories';
  trajectories: number;
  stepsPerTrajectory: number[];
  toolMix: Record<string, number>;
}

export type RunBody = EvalModel | TrainingModel | ReplayModel | SrlModel | EvaluationModel | TrajectoriesModel;

export interface ThoughtsModel {
  /** What the texts are (e.g. "oracle responses in completions.jsonl"). */
  source: string;
  stats: ThinkStats;
}

export interface RunModel {
  /** Unique on the page: the folder's name, with its parent's when two runs share a name. */
  name: string;
  path: string;
  /** The summary table's rows: label and value. */
  summary: Array<[string, string]>;
  body: RunBody;
  /** The reasoning in the run's replies, when it records any; else a note on why not. */
  thoughts: ThoughtsModel | { none: string };
}
