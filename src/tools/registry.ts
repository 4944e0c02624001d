// The agent tools by name — bash, str_replace_editor, submit — with one dispatch path. A bash command whose first
// word is one of SWE-agent's windowed commands (open, goto, edit, ...) runs that command instead of the shell.
import { SweSrlError } from '../util/errors.ts';
import { shell, type ToolContext, type ToolResult } from './context.ts';
import { runEditor } from './editor.ts';
import { parseWindowed, runWindowed } from './windowed.ts';

export type Tool = (ctx: ToolContext, args: Record<string, string>) => Promise<ToolResult>;

// Host-side tools report their own time; they have no exit status of a command, so 0.
async function timed(run: () => Promise<string>): Promise<ToolResult> {
  const t0 = performance.now();
  const output = await run();
  return { output, exitCode: 0, timedOut: false, durationMs: Math.round(performance.now() - t0) };
}

const bash: Tool = async (ctx, args) => {
  const command = args.command ?? '';
  const windowed = parseWindowed(command);
  if (windowed) return timed(() => runWindowed(ctx, { ...windowed, command }));
  if (/^\s*submit\s*(-f)?\s*$/.test(command)) return submit(ctx, {});
  const r = await shell(ctx, command);
  return { output: r.output, exitCode: r.exitCode, timedOut: r.timedOut, durationMs: r.durationMs };
};

const strReplaceEditor: Tool = (ctx, args) => timed(() => runEditor(ctx, args));

const submit: Tool = async (ctx) => {
  const t0 = performance.now();
  const diff = await ctx.sandbox.diff();
  return { output: diff, exitCode: 0, timedOut: false, durationMs: Math.round(performance.now() - t0), submission: diff };
};

export const TOOLS: Record<string, Tool> = { bash, str_replace_editor: strReplaceEditor, submit };

/** Looks a tool up by name; an unknown name fails listing the valid ones. */
export function getTool(name: string): Tool {
  const t = TOOLS[name];
  if (!t) {
    throw new SweSrlError({
      code: 'unknown_tool',
      message: `no tool named ${JSON.stringify(name)}; valid: ${Object.keys(TOOLS).join(', ')}`,
      fault: 'model',
      value: name,
    });
  }
  return t;
}

/** Executes one tool call in the context. */
export function runToolCall(ctx: ToolContext, call: { tool: string; args: Record<string, string> }): Promise<ToolResult> {
  return getTool(call.tool)(ctx, call.args);
}
