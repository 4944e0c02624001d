// `str_replace_editor` on the Sandbox API: view (files with `cat -n` numbers, folders two levels deep), create,
// str_replace, insert, undo_edit, with SWE-agent's checks and messages. Refusals are observations, not errors.
import { posix } from 'node:path';
import { shellQuote } from '../util/shell.ts';
import { cwdOf, helper, statPath, type ToolContext } from './context.ts';
import { EDITOR_COMMANDS, EditorError, insertText, makeOutput, parseViewRange, strReplace, viewFile } from './editor-core.ts';

/** Runs one str_replace_editor call; the text is the observation. */
export async function runEditor(ctx: ToolContext, args: Record<string, string>): Promise<string> {
  return (await tryEditor(ctx, args)).output;
}

/** Runs one str_replace_editor call and says whether the editor refused it (ok false: output is the refusal). */
export async function tryEditor(ctx: ToolContext, args: Record<string, string>): Promise<{ ok: boolean; output: string }> {
  try {
    return { ok: true, output: await dispatch(ctx, args) };
  } catch (e) {
    if (e instanceof EditorError) return { ok: false, output: e.message };
    throw e;
  }
}

// Python's Path(str): no trailing slash, no doubled slashes.
function pyPath(p: string): string {
  const n = posix.normalize(p);
  return n.length > 1 ? n.replace(/\/+$/, '') : n;
}

async function dispatch(ctx: ToolContext, args: Record<string, string>): Promise<string> {
  const command = args.command ?? '';
  const raw = args.path ?? '';
  if (!(EDITOR_COMMANDS as readonly string[]).includes(command)) {
    throw new EditorError(
      `Unrecognized command ${command}. The allowed commands for the str_replace_editor tool are: ${EDITOR_COMMANDS.map((c) => `"${c}"`).join(', ')}`,
    );
  }
  const path = pyPath(raw);
  if (!path.startsWith('/')) {
    throw new EditorError(
      `The path ${path} is not an absolute path, it should start with \`/\`. Maybe you meant ${posix.join(cwdOf(ctx), path)}?`,
    );
  }
  const { kind } = await statPath(ctx, path);
  if (kind === 'none' && command !== 'create') throw new EditorError(`The path ${path} does not exist. Please provide a valid path.`);
  if (kind !== 'none' && command === 'create') {
    throw new EditorError(`File already exists at: ${path}. Cannot overwrite files using command \`create\`.`);
  }
  if (kind === 'dir' && command !== 'view') {
    throw new EditorError(`The path ${path} is a directory and only the \`view\` command can be used on directories`);
  }
  const history = ctx.history.get(path) ?? [];
  ctx.history.set(path, history);
  switch (command) {
    case 'view': {
      const range = parseViewRange(args.view_range);
      if (kind === 'dir') {
        if (range) throw new EditorError('The `view_range` parameter is not allowed when `path` points to a directory.');
        const r = await helper(ctx, `find ${shellQuote(path)} -maxdepth 2 -not -path '*/\\.*'`);
        if (r.exitCode !== 0) return r.output;
        return `Here's the files and directories up to 2 levels deep in ${path}, excluding hidden items:\n${r.output}\n`;
      }
      return viewFile({ content: await ctx.sandbox.readFile(path), path, range });
    }
    case 'create': {
      if (args.file_text === undefined) throw new EditorError('Parameter `file_text` is required for command: create');
      await ctx.sandbox.writeFile(path, args.file_text);
      history.push(args.file_text);
      return `File created successfully at: ${path}`;
    }
    case 'str_replace': {
      if (args.old_str === undefined) throw new EditorError('Parameter `old_str` is required for command: str_replace');
      const before = await ctx.sandbox.readFile(path);
      const r = strReplace({ content: before, path, oldStr: args.old_str, newStr: args.new_str });
      await ctx.sandbox.writeFile(path, r.content);
      history.push(before);
      return r.message;
    }
    case 'insert': {
      if (args.insert_line === undefined) throw new EditorError('Parameter `insert_line` is required for command: insert');
      if (args.new_str === undefined) throw new EditorError('Parameter `new_str` is required for command: insert');
      const line = Number(args.insert_line);
      const before = await ctx.sandbox.readFile(path);
      const r = insertText({ content: before, path, line: /^-?\d+$/.test(args.insert_line.trim()) ? line : NaN, newStr: args.new_str });
      await ctx.sandbox.writeFile(path, r.content);
      history.push(before);
      return r.message;
    }
    default: {
      const last = history.pop();
      if (last === undefined) throw new EditorError(`No edit history found for ${path}.`);
      await ctx.sandbox.writeFile(path, last);
      return `Last edit to ${path} undone successfully. ${makeOutput(last, path)}`;
    }
  }
}
