// A scripted expert for fixtures and demos: it looks around, views the files a known-good patch touches, applies the
// patch hunk by hunk with str_replace_editor, runs the tests and submits — through the real tools, so that the
// recorded observations are what the sandbox printed.
import type { ToolCall, Trajectory } from '../trajectories/types.ts';
import { makeTrajectory } from '../trajectories/steps.ts';
import { renderCall } from '../srl/action-xml.ts';
import { runToolCall } from '../tools/registry.ts';
import type { ToolContext } from '../tools/context.ts';
import { editCall, patchToEdits } from '../oracle/patch-edits.ts';

/** The expert's calls for a patch, rooted at `root`. */
export function expertCalls(o: { patch: string; root: string; testCommand: string }): Array<{ thought: string; call: ToolCall }> {
  const edits = patchToEdits(o.patch);
  const files = [...new Set(edits.filter((e) => e.oldStr !== undefined).map((e) => e.path))];
  const calls: Array<{ thought: string; call: ToolCall }> = [
    { thought: 'Look at the repository layout first.', call: { tool: 'bash', args: { command: "find . -name '*.py' -not -path './.git/*' | sort" } } },
  ];
  for (const f of files) {
    calls.push({ thought: `Read ${f}.`, call: { tool: 'str_replace_editor', args: { command: 'view', path: `${o.root}/${f}` } } });
  }
  for (const e of edits) {
    calls.push({ thought: `${e.oldStr === undefined ? 'Create' : 'Fix'} ${e.path}.`, call: editCall(e, o.root) });
  }
  calls.push({ thought: 'Run the tests.', call: { tool: 'bash', args: { command: o.testCommand } } });
  calls.push({ thought: 'Submit.', call: { tool: 'submit', args: {} } });
  return calls;
}

/** Runs the expert's calls through the tools and records them as a normalized trajectory. */
export async function recordExpert(o: {
  ctx: ToolContext;
  instanceId: string;
  patch: string;
  testCommand: string;
  problemStatement?: string;
}): Promise<Trajectory> {
  const steps: Trajectory['steps'] = [];
  let submission: string | undefined;
  for (const { thought, call } of expertCalls({ patch: o.patch, root: o.ctx.sandbox.workdir, testCommand: o.testCommand })) {
    const r = await runToolCall(o.ctx, call);
    steps.push({ thought, action: { raw: renderCall(call), call }, observation: r.output });
    if (r.submission !== undefined) submission = r.submission;
  }
  return makeTrajectory({
    format: 'swe-srl',
    instanceId: o.instanceId,
    source: { file: 'scripted-expert' },
    problemStatement: o.problemStatement,
    steps,
    submission,
    meta: { shell: o.ctx.session ? 'session' : 'subshell', repoRoot: o.ctx.sandbox.workdir, recordedBy: 'src/testing/scripted-expert.ts' },
  });
}
