// A scripted expert for fixtures and demos: it looks around, views the files a known-good patch touches, applies the
// patch hunk by hunk with str_replace_editor, runs the tests and submits — through the real tools, so that the
// recorded observations are what the sandbox printed.
import type { ToolCall, Trajectory } from '../trajectories/types.ts';
import { makeTrajectory } from '../trajectories/steps.ts';
import { renderCall } from '../srl/action-xml.ts';
import { runToolCall } from '../tools/registry.ts';
import type { ToolContext } from '../tools/context.ts';

export interface PatchEdit {
  path: string;
  /** Absent for a new file. */
  oldStr?: string;
  newStr: string;
}

/** The str_replace (or create) edits that apply a unified diff: one per hunk, its context and removed lines as old_str. */
export function patchToEdits(patch: string): PatchEdit[] {
  const edits: PatchEdit[] = [];
  let path: string | undefined;
  let isNew = false;
  let cur: { old: string[]; new: string[] } | undefined;
  const flush = () => {
    if (cur && path) {
      const text = (xs: string[]) => xs.map((l) => `${l}\n`).join('');
      edits.push(isNew ? { path, newStr: text(cur.new) } : { path, oldStr: text(cur.old), newStr: text(cur.new) });
    }
    cur = undefined;
  };
  for (const line of patch.split('\n')) {
    if (line.startsWith('diff --git ')) {
      flush();
      path = undefined;
      isNew = false;
    } else if (line.startsWith('--- ')) {
      isNew = line.trim() === '--- /dev/null';
    } else if (line.startsWith('+++ ')) {
      const p = line.slice(4).trim();
      path = p === '/dev/null' ? undefined : p.replace(/^b\//, '');
    } else if (line.startsWith('@@')) {
      flush();
      cur = { old: [], new: [] };
    } else if (cur) {
      if (line.startsWith(' ')) {
        cur.old.push(line.slice(1));
        cur.new.push(line.slice(1));
      } else if (line.startsWith('-')) cur.old.push(line.slice(1));
      else if (line.startsWith('+')) cur.new.push(line.slice(1));
    }
  }
  flush();
  return edits;
}

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
    const path = `${o.root}/${e.path}`;
    calls.push(
      e.oldStr === undefined
        ? { thought: `Create ${e.path}.`, call: { tool: 'str_replace_editor', args: { command: 'create', path, file_text: e.newStr } } }
        : { thought: `Fix ${e.path}.`, call: { tool: 'str_replace_editor', args: { command: 'str_replace', path, old_str: e.oldStr, new_str: e.newStr } } },
    );
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
