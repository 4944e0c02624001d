// The published trajectory datasets, told apart by their column names: each layout names the columns it needs and
// those only it has, and the trajectory format its rows parse as. A table of an unknown layout fails listing them.
import { SweSrlError } from '../../util/errors.ts';

export interface DatasetLayout {
  /** The dataset as published (Hugging Face id). */
  dataset: string;
  /** The trajectory format each row parses as. */
  format: string;
  /** Columns every export of the dataset has. */
  required: readonly string[];
  /** At least one of these must be present: the columns that tell this dataset from its look-alikes. */
  distinguishing: readonly string[];
}

// More specific layouts first: SWE-smith and SWE-Gym both have `messages` and `resolved`.
export const DATASET_LAYOUTS: readonly DatasetLayout[] = [
  {
    dataset: 'SWE-bench/SWE-smith-trajectories',
    format: 'swe-smith',
    required: ['instance_id', 'messages'],
    distinguishing: ['traj_id', 'patch'],
  },
  {
    dataset: 'SWE-Gym/OpenHands-Sampled-Trajectories',
    format: 'openhands-chat',
    required: ['instance_id', 'messages'],
    distinguishing: ['run_id', 'test_result'],
  },
  {
    dataset: 'nebius/SWE-agent-trajectories',
    format: 'nebius',
    required: ['instance_id', 'trajectory'],
    distinguishing: ['model_name', 'target', 'generated_patch'],
  },
  {
    dataset: 'nebius/SWE-rebench-openhands-trajectories',
    format: 'swe-rebench-openhands',
    required: ['instance_id', 'trajectory'],
    distinguishing: ['model_patch', 'trajectory_id'],
  },
  {
    dataset: 'OpenHands evaluation output',
    format: 'openhands-events',
    required: ['history'],
    distinguishing: ['instance_id', 'instance', 'test_result'],
  },
];

/** The layout a table with these columns has; undefined when none matches. */
export function matchLayout(columns: readonly string[]): DatasetLayout | undefined {
  const has = new Set(columns);
  return DATASET_LAYOUTS.find((l) => l.required.every((c) => has.has(c)) && l.distinguishing.some((c) => has.has(c)));
}

/** The layout of a table, or an error naming the file, its columns and the layouts we know. */
export function detectLayout(columns: readonly string[], file: string): DatasetLayout {
  const layout = matchLayout(columns);
  if (layout) return layout;
  const known = DATASET_LAYOUTS.map((l) => `${l.dataset} (${[...l.required, `one of ${l.distinguishing.join('/')}`].join(', ')})`);
  throw new SweSrlError({
    code: 'trajectory_dataset_unknown',
    message: `no known trajectory dataset has the columns ${columns.join(', ') || '(none)'}`,
    fault: 'user',
    file,
    field: 'columns',
    hint: `Known layouts: ${known.join('; ')}. Force a row format with --format NAME.`,
  });
}
