// mini-swe-agent `.traj.json`: chat messages whose assistant turns carry exactly one ```bash block. Every command
// runs in a fresh subshell (no `cd` or variables carry over) in the task's working folder.
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';
import { bashCall, findAllActions, submitCall } from '../calls.ts';
import { walkChat } from '../chat.ts';
import { parseOne, type TrajectoryFormat } from '../format.ts';
import { makeTrajectory } from '../steps.ts';
import { extractIssue, isRecord, textOf } from '../text.ts';
import type { Trajectory } from '../types.ts';

const MessageSchema = z
  .object({
    role: z.string(),
    content: z.union([z.string(), z.array(z.unknown()), z.null()]).optional(),
    tool_calls: z
      .array(z.object({ id: z.string().nullish(), function: z.object({ name: z.string(), arguments: z.unknown() }) }).passthrough())
      .nullish(),
    tool_call_id: z.string().nullish(),
  })
  .passthrough();

const MiniSchema = z
  .object({
    messages: z.array(MessageSchema),
    info: z
      .object({
        exit_status: z.string().nullish(),
        submission: z.string().nullish(),
        model_stats: z.record(z.unknown()).nullish(),
        mini_version: z.string().nullish(),
        config: z.record(z.unknown()).nullish(),
      })
      .passthrough()
      .default({}),
    instance_id: z.string().nullish(),
    trajectory_format: z.string().nullish(),
  })
  .passthrough();

type MiniFile = z.output<typeof MiniSchema>;

/** mini-swe-agent's default action regex (group 1 is the command). */
const DEFAULT_ACTION_RE = /```bash\s*\n(.*?)\n```/s;
/** The first output line that tells mini-swe-agent to stop and submit (current and older sentinels). */
const SUBMIT_SENTINEL = /^\s*echo\s+['"]?(COMPLETE_TASK_AND_SUBMIT_FINAL_OUTPUT|MINI_SWE_AGENT_FINAL_OUTPUT)\b/;

const ReportSchema = z.object({ resolved: z.boolean() }).passthrough();

export const miniSweAgentFormat: TrajectoryFormat = {
  name: 'mini-swe-agent',
  description: 'mini-swe-agent .traj.json (chat with one ```bash block per turn)',
  detect(json) {
    if (!isRecord(json) || !Array.isArray(json.messages)) return false;
    if (typeof json.trajectory_format === 'string' && json.trajectory_format.startsWith('mini-swe-agent')) return true;
    return isRecord(json.info) && ('mini_version' in json.info || 'config' in json.info);
  },
  sidecars(file) {
    // The SWE-bench harness writes <instance>.report.json next to the run's trajectory.
    const stem = basename(file).replace(/\.traj\.json$|\.json$/, '');
    return [join(dirname(file), `${stem}.report.json`), join(dirname(file), 'report.json')];
  },
  parse({ json, file, sidecars }) {
    return parseOne({ json, file, schema: MiniSchema, build: (v) => build(v, file, sidecars ?? {}) });
  },
};

function build(v: MiniFile, file: string, sidecars: Record<string, unknown>): Trajectory {
  const actionRe = configuredActionRegex(v.info.config) ?? DEFAULT_ACTION_RE;
  const b = walkChat(v.messages, {
    textAction(content) {
      const found = findAllActions(content, actionRe);
      // mini-swe-agent rejects a turn without exactly one action (a format error): not a step.
      if (found.length !== 1) return undefined;
      const only = found[0]!;
      const command = only.action.trim();
      const thought = (content.slice(0, only.start) + content.slice(only.end)).trim().replace(/^THOUGHT:\s*/, '');
      return { thought, action: { raw: only.action, call: SUBMIT_SENTINEL.test(command) ? submitCall() : bashCall(command) } };
    },
  });
  const instanceId = v.instance_id ?? basename(file).replace(/\.traj\.json$|\.json$/, '');
  const firstUser = v.messages.find((m) => m.role === 'user');
  const env = isRecord(v.info.config) && isRecord(v.info.config.environment) ? v.info.config.environment : undefined;
  const model = isRecord(v.info.config) && isRecord(v.info.config.model) ? v.info.config.model.model_name : undefined;
  return makeTrajectory({
    format: 'mini-swe-agent',
    instanceId,
    source: { file },
    problemStatement: firstUser ? extractIssue(textOf(firstUser.content)) : undefined,
    steps: b.steps,
    submission: v.info.submission ?? undefined,
    resolved: resolvedFrom(sidecars, instanceId),
    meta: {
      shell: 'subshell',
      repoRoot: typeof env?.cwd === 'string' && env.cwd ? env.cwd : '/testbed',
      ...(v.info.exit_status ? { exitStatus: v.info.exit_status } : {}),
      ...(v.info.model_stats ? { modelStats: v.info.model_stats } : {}),
      ...(v.info.mini_version ? { miniVersion: v.info.mini_version } : {}),
      ...(v.trajectory_format ? { trajectoryFormat: v.trajectory_format } : {}),
      ...(typeof model === 'string' ? { model } : {}),
      ...b.foldMeta(),
    },
  });
}

// Runs may configure their own action regex (a Python pattern; the common subset reads the same in JS).
function configuredActionRegex(config: Record<string, unknown> | null | undefined): RegExp | undefined {
  const agent = config && isRecord(config.agent) ? config.agent : undefined;
  const src = agent?.action_regex;
  if (typeof src !== 'string') return undefined;
  try {
    return new RegExp(src, 's');
  } catch {
    return undefined;
  }
}

// A harness report is either flat ({resolved, ...}) or keyed by instance id ({<id>: {resolved, ...}}).
function resolvedFrom(sidecars: Record<string, unknown>, instanceId: string): boolean | undefined {
  for (const report of Object.values(sidecars)) {
    const flat = ReportSchema.safeParse(report);
    if (flat.success) return flat.data.resolved;
    const keyed = isRecord(report) ? ReportSchema.safeParse(report[instanceId]) : undefined;
    if (keyed?.success) return keyed.data.resolved;
  }
  return undefined;
}
