// The reward section of a run's config (train embeds it): which registered reward scores responses, and the outcome
// reward's sandbox settings. Reward names are checked against the registry where the whole config is checked.
import { z } from 'zod';
import { IMAGE_SOURCES } from '../harness/image-provider.ts';

const OutcomeRewardSchema = z
  .object({
    /** Task set the examples' instance ids come from: "bundled", a folder of task folders, or a rows file. */
    tasks: z.string().min(1).optional(),
    /** Sandboxes grading at once. */
    workers: z.number().int().min(1).default(2),
    /** local (images built here from env specs), official (the SWE-bench images) or auto (official when present or pullable, else local). */
    image_source: z.enum(IMAGE_SOURCES).default('local'),
    /** Folder of env specs (default envs/). */
    envs: z.string().min(1).optional(),
    /** Git-remote template with {owner} and {name} (default $SWE_SRL_GIT_REMOTE, else GitHub). */
    git_remote: z.string().min(1).optional(),
    /** Test-command time limit in seconds (default the env spec's). */
    timeout_s: z.number().positive().optional(),
    memory_gb: z.number().positive().default(4),
    cpus: z.number().positive().default(2),
    /** Edits one response may make at most (more is a format error). */
    max_edits: z.number().int().min(1).default(32),
    /** The responses' format: editor (str_replace_editor calls) or search-replace (SWE-RL's SEARCH/REPLACE blocks). */
    format: z.enum(['editor', 'search-replace']).default('editor'),
  })
  .strict();

export const RewardSchema = z
  .object({
    /**
     * Registry name: srl (dense action similarity), exact (sparse exact match of the action), outcome (the response's
     * edits make the task's tests pass in the sandbox: RLVR, on oracle examples), or one registered by a plug-in.
     */
    name: z.string().min(1).default('srl'),
    /** difflib autojunk (SWE-RL: false). */
    autojunk: z.boolean().default(false),
    /** Settings of the outcome reward. */
    outcome: OutcomeRewardSchema.default({}),
  })
  .strict();

export type RewardConfig = z.output<typeof RewardSchema>;
