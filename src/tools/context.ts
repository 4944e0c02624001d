// What every agent tool acts through: the sandbox, the shell semantics (a persistent session or a fresh subshell
// per command), the windowed viewer's state and the editor's undo history.
import { posix } from 'node:path';
import { shellQuote } from '../util/shell.ts';
import type { ExecResult, Sandbox, ShellSession } from '../sandbox/types.ts';
import { newWindowState, type WindowState } from './window.ts';

export interface ToolContext {
  sandbox: Sandbox;
  /** The persistent shell (SWE-agent); absent: each command runs in a fresh subshell at the workdir (mini-swe-agent). */
  session?: ShellSession;
  window: WindowState;
  /** str_replace_editor's per-file history for undo_edit. */
  history: Map<string, string[]>;
  timeoutMs: number;
  maxOutputBytes: number;
}

/** The observation of one tool call. */
export interface ToolResult {
  output: string;
  exitCode: number;
  timedOut: boolean;
  durationMs: number;
  /** Set by submit: the patch handed in. */
  submission?: string;
}

/** A context over a sandbox with SWE-agent's viewer defaults. */
export function createToolContext(o: { sandbox: Sandbox; session?: ShellSession; timeoutMs?: number; maxOutputBytes?: number }): ToolContext {
  return {
    sandbox: o.sandbox,
    session: o.session,
    window: newWindowState(),
    history: new Map(),
    timeoutMs: o.timeoutMs ?? 60_000,
    maxOutputBytes: o.maxOutputBytes ?? 1 << 20,
  };
}

/** The directory relative paths resolve against. */
export function cwdOf(ctx: ToolContext): string {
  return ctx.session?.cwd ?? ctx.sandbox.workdir;
}

/** Runs shell text with the context's semantics (in the session, or one-shot at the workdir). */
export async function shell(ctx: ToolContext, command: string, o: { timeoutMs?: number } = {}): Promise<ExecResult> {
  const opts = { timeoutMs: o.timeoutMs ?? ctx.timeoutMs, maxOutputBytes: ctx.maxOutputBytes };
  if (ctx.session) return ctx.session.run(command, opts);
  return ctx.sandbox.exec(command, { ...opts, cwd: ctx.sandbox.workdir });
}

/** Helper commands of the tools themselves: one-shot, never through the agent's session. */
export async function helper(ctx: ToolContext, command: string): Promise<ExecResult> {
  return ctx.sandbox.exec(command, { cwd: cwdOf(ctx), timeoutMs: 120_000, maxOutputBytes: 64 << 20 });
}

export type PathKind = 'file' | 'dir' | 'other' | 'none';

/** What a path is, and its real path (symlinks resolved), relative paths taken from the current directory. */
export async function statPath(ctx: ToolContext, path: string): Promise<{ kind: PathKind; real: string }> {
  const abs = posix.resolve(cwdOf(ctx), path);
  const q = shellQuote(abs);
  const r = await helper(
    ctx,
    `if [ -d ${q} ]; then echo dir; elif [ -f ${q} ]; then echo file; elif [ -e ${q} ]; then echo other; else echo none; fi; realpath -m -- ${q}`,
  );
  const [kind, real] = r.output.split('\n');
  return { kind: (kind as PathKind) || 'none', real: real || abs };
}
