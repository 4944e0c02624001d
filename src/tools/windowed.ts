// SWE-agent's windowed commands (open, goto, scroll_up/down, create, edit L:M ... end_of_edit, search_dir,
// search_file, find_file; and 1.x's `edit SEARCH REPLACE [REPLACE_ALL]` and `insert TEXT [LINE]`), recognised by the
// first word of a bash command and run here on the Sandbox API, with the viewer state in the ToolContext and
// SWE-agent's output format.
import { shellQuote } from '../util/shell.ts';
import { helper, statPath, type ToolContext } from './context.ts';
import { shellWords } from './shell-words.ts';
import { centreForTop, insertText, MSG, renderAt, renderRefusedReplace, replaceInView, shownRange, topFor } from './window-replace.ts';
import {
  applyLineEdit,
  centreFor,
  constrainLine,
  EDIT_APPLIED,
  newLintErrors,
  parseEditBlock,
  parseLint,
  renderRefusedEdit,
  renderWindow,
  splitLines,
} from './window.ts';

type Windowed = (ctx: ToolContext, args: string[], command: string) => Promise<string>;

const NO_FILE = 'No file open. Use the open command first.\n';

async function readLines(ctx: ToolContext, path: string): Promise<string[]> {
  return splitLines(await ctx.sandbox.readFile(path));
}

async function printWindow(ctx: ToolContext): Promise<string> {
  const path = ctx.window.file!;
  const lines = await readLines(ctx, path);
  ctx.window.line = constrainLine(ctx.window.line, { total: lines.length, window: ctx.window.window });
  return renderWindow({ path, lines, line: ctx.window.line, window: ctx.window.window });
}

const open: Windowed = async (ctx, args) => {
  const [path, lineArg] = args;
  if (!path) return 'Usage: open <file>\n';
  const st = await statPath(ctx, path);
  let line = ctx.window.window / 2;
  let warn = '';
  if (lineArg !== undefined && lineArg !== '') {
    if (!/^[0-9]+$/.test(lineArg)) return 'Usage: open <file> [<line_number>]\nError: <line_number> must be a number\n';
    const n = Number(lineArg);
    const max = st.kind === 'file' ? (await readLines(ctx, st.real)).length : 0;
    if (n > max) {
      warn = `Warning: <line_number> (${n}) is greater than the number of lines in the file (${max})\nWarning: Setting <line_number> to ${max}\n`;
      line = max;
    } else if (n < 1) {
      warn = `Warning: <line_number> (${n}) is less than 1\nWarning: Setting <line_number> to 1\n`;
      line = 1;
    } else line = centreFor(n, ctx.window.window);
  }
  if (st.kind === 'file') {
    ctx.window.file = st.real;
    ctx.window.line = line;
    return warn + (await printWindow(ctx));
  }
  if (st.kind === 'dir') return `${warn}Error: ${path} is a directory. You can only open files. Use cd or ls to navigate directories.\n`;
  return `${warn}File ${path} not found\n`;
};

const goto: Windowed = async (ctx, args) => {
  if (args.length > 1) return 'goto allows only one line number at a time.\n';
  if (!ctx.window.file) return NO_FILE;
  const [n] = args;
  if (!n) return 'Usage: goto <line>\n';
  if (!/^[0-9]+$/.test(n)) return 'Usage: goto <line>\nError: <line> must be a number\n';
  const max = (await readLines(ctx, ctx.window.file)).length;
  if (Number(n) > max) return `Error: <line> must be less than or equal to ${max}\n`;
  ctx.window.line = centreFor(Number(n), ctx.window.window);
  return printWindow(ctx);
};

const scroll =
  (sign: 1 | -1): Windowed =>
  async (ctx) => {
    if (!ctx.window.file) return NO_FILE;
    ctx.window.line += sign * (ctx.window.window - ctx.window.overlap);
    return printWindow(ctx);
  };

const create: Windowed = async (ctx, args) => {
  const [path] = args;
  if (!path) return 'Usage: create <filename>\n';
  const st = await statPath(ctx, path);
  if (st.kind !== 'none') return `Error: File '${path}' already exists.\n${await open(ctx, [path], '')}`;
  await ctx.sandbox.writeFile(st.real, '\n');
  return open(ctx, [path], '');
};

// flake8 as SWE-agent runs it when the image has it; otherwise Python's own compile() for E999 (syntax errors).
const LINT = `import subprocess, sys
f = sys.argv[1]
try:
    import flake8  # noqa: F401
    r = subprocess.run([sys.executable, "-m", "flake8", "--isolated", "--select=F821,F822,F831,E111,E112,E113,E999,E902", f], capture_output=True, text=True)
    sys.stdout.write(r.stdout)
except ImportError:
    try:
        compile(open(f, "rb").read(), f, "exec")
    except SyntaxError as e:
        print(f"{f}:{e.lineno or 1}:{(e.offset or 1)}: E999 {type(e).__name__}: {e.msg}")
    except Exception as e:
        print(f"{f}:1:1: E902 {type(e).__name__}: {e}")`;

async function lint(ctx: ToolContext, path: string): Promise<string> {
  const py = `$(command -v python3 || command -v python)`;
  const r = await helper(ctx, `"${py}" - ${shellQuote(path)} <<'SWE_SRL_LINT'\n${LINT}\nSWE_SRL_LINT`);
  return r.exitCode === 0 ? r.output : '';
}

const edit: Windowed = async (ctx, args, command) => {
  const block = parseEditBlock(command);
  // 1.x: `edit SEARCH REPLACE [REPLACE_ALL]`; 0.x: `edit L:M` and the lines up to end_of_edit.
  if (!block && args.length >= 2) return editReplace(ctx, args);
  if (!ctx.window.file) return 'No file open. Use the `open` command first.\n';
  const range = block?.range ?? '';
  const [s = '', e = ''] = `${range}:`.split(':');
  if (!s || !e) return 'Usage: edit <start_line>:<end_line>\n';
  if (!/^[0-9]+$/.test(s)) return 'Usage: edit <start_line>:<end_line>\nError: start_line must be a number\n';
  if (!/^[0-9]+$/.test(e)) return 'Usage: edit <start_line>:<end_line>\nError: end_line must be a number\n';
  const path = ctx.window.file;
  const start = Number(s);
  const end = Number(e);
  const replacement = block?.replacement ?? [];
  const isPy = path.endsWith('.py');
  const before = isPy ? await lint(ctx, path) : '';
  const original = await ctx.sandbox.readFile(path);
  const edited = applyLineEdit(original, { start, end, replacement });
  await ctx.sandbox.writeFile(path, edited);
  const errors = isPy
    ? newLintErrors({ before: parseLint(before), after: parseLint(await lint(ctx, path)), start, end, newLines: replacement.length })
    : '';
  if (!errors) {
    ctx.window.line = start - 1;
    return (await printWindow(ctx)) + EDIT_APPLIED + '\n';
  }
  await ctx.sandbox.writeFile(path, original);
  return renderRefusedEdit({
    path,
    errors,
    edited: splitLines(edited),
    original: splitLines(original),
    start,
    end,
    newLines: replacement.length,
  });
};

// Lint before and after a change, keep it when it brings no new errors, else put the file back and show both.
async function lintedChange(
  ctx: ToolContext,
  o: { original: string; changed: string; top: number; newErrors: (before: string, after: string) => string; ok: string },
): Promise<string> {
  const path = ctx.window.file!;
  const isPy = path.endsWith('.py');
  const before = isPy ? await lint(ctx, path) : '';
  await ctx.sandbox.writeFile(path, o.changed);
  const errors = isPy ? o.newErrors(before, await lint(ctx, path)) : '';
  const window = ctx.window.window;
  if (errors) {
    await ctx.sandbox.writeFile(path, o.original);
    const shown = shownRange(splitLines(o.original).length, ctx.window).first;
    return renderRefusedReplace({
      errors,
      applied: renderAt({ path, text: o.changed, first: o.top, window }),
      original: renderAt({ path, text: o.original, first: shown, window }),
    });
  }
  ctx.window.line = centreForTop(o.top, { total: splitLines(o.changed).length, window });
  return o.ok + (await printWindow(ctx));
}

async function editReplace(ctx: ToolContext, args: string[]): Promise<string> {
  if (!ctx.window.file) return MSG.noFile;
  const [search = '', replace = '', all] = args;
  const original = await ctx.sandbox.readFile(ctx.window.file);
  // argparse's type=bool: any non-empty third argument means replace all.
  const r = replaceInView({ text: original, line: ctx.window.line, window: ctx.window.window, search, replace, all: !!all });
  if (!r.ok) return r.message;
  return lintedChange(ctx, {
    original,
    changed: r.text,
    top: topFor(r.line, ctx.window.window),
    newErrors: (before, after) =>
      all
        ? parseLint(after).map((e) => `- ${e.problem}`).join('\n')
        : newLintErrors({ before: parseLint(before), after: parseLint(after), start: r.line, end: r.line + r.searchLines - 1, newLines: r.replaceLines }),
    ok: all ? MSG.replacedAll(r.replacements) : MSG.replaced,
  });
}

const insert: Windowed = async (ctx, args) => {
  if (!ctx.window.file) return MSG.insertNoFile;
  const [text = '', lineArg] = args;
  if (args.length < 1 || args.length > 2) return 'Usage: insert <text> [<line>]\n';
  if (lineArg !== undefined && !/^-?[0-9]+$/.test(lineArg)) return `Usage: insert <text> [<line>]\nError: <line> must be a number, not ${lineArg}\n`;
  const original = await ctx.sandbox.readFile(ctx.window.file);
  const r = insertText({ text: original, insert: text, line: lineArg === undefined ? undefined : Number(lineArg) });
  return lintedChange(ctx, {
    original,
    changed: r.text,
    top: topFor(r.line, ctx.window.window),
    newErrors: (before, after) =>
      newLintErrors({ before: parseLint(before), after: parseLint(after), start: r.line + 1, end: r.line + 1, newLines: r.added + 1 }),
    ok: '',
  });
};

const searchDir: Windowed = async (ctx, args) => {
  if (args.length < 1 || args.length > 2) return 'Usage: search_dir <search_term> [<dir>]\n';
  const term = args[0]!;
  let dir = './';
  if (args.length === 2) {
    if ((await statPath(ctx, args[1]!)).kind !== 'dir') return `Directory ${args[1]} not found\n`;
    dir = args[1]!;
  }
  const real = (await statPath(ctx, dir)).real;
  const r = await helper(
    ctx,
    `find ${shellQuote(real)} -type f ! -path '*/.*' -exec grep -nIH -- ${shellQuote(term)} {} + | cut -d: -f1 | sort | uniq -c`,
  );
  const rows = r.output
    .split('\n')
    .map((l) => /^\s*(\d+)\s+(.*)$/.exec(l))
    .filter((m): m is RegExpExecArray => !!m)
    .map((m) => ({ n: Number(m[1]), file: m[2]!.replace(/^\.+\/+/, './') }));
  if (!rows.length) return `No matches found for "${term}" in ${real}\n`;
  if (rows.length > 100) return `More than ${rows.length} files matched for "${term}" in ${real}. Please narrow your search.\n`;
  const total = rows.reduce((a, x) => a + x.n, 0);
  return [
    `Found ${total} matches for "${term}" in ${real}:`,
    ...rows.map((x) => `${x.file} (${x.n} matches)`),
    `End of matches for "${term}" in ${real}`,
    '',
  ].join('\n');
};

const searchFile: Windowed = async (ctx, args) => {
  const usage = 'Usage: search_file <search_term> [<file>]\n';
  if (!args[0]) return usage;
  let file = ctx.window.file;
  if (args[1]) {
    const st = await statPath(ctx, args[1]);
    if (st.kind !== 'file') return `${usage}Error: File name ${args[1]} not found. Please provide a valid file name.\n`;
    file = st.real;
  } else if (!file) return NO_FILE;
  const term = args[0];
  const r = await helper(ctx, `grep -n -- ${shellQuote(term)} ${shellQuote(file!)}`);
  const nums = [...new Set(r.output.split('\n').flatMap((l) => (/^(\d+):/.exec(l)?.[1] ? [Number(/^(\d+):/.exec(l)![1])] : [])))];
  if (!nums.length) return `No matches found for "${term}" in ${file}\n`;
  if (nums.length > 100) return `More than ${nums.length} lines matched for "${term}" in ${file}. Please narrow your search.\n`;
  const lines = await readLines(ctx, file!);
  return [
    `Found ${nums.length} matches for "${term}" in ${file}:`,
    ...nums.sort((a, b) => a - b).map((n) => `Line ${n}:${lines[n - 1] ?? ''}`),
    `End of matches for "${term}" in ${file}`,
    '',
  ].join('\n');
};

const findFile: Windowed = async (ctx, args) => {
  if (args.length < 1 || args.length > 2) return 'Usage: find_file <file_name> [<dir>]\n';
  const name = args[0]!;
  let dir = './';
  if (args.length === 2) {
    if ((await statPath(ctx, args[1]!)).kind !== 'dir') return `Directory ${args[1]} not found\n`;
    dir = args[1]!;
  }
  const real = (await statPath(ctx, dir)).real;
  const r = await helper(ctx, `find ${shellQuote(real)} -type f -name ${shellQuote(name)}`);
  const found = r.output.split('\n').filter((l) => l.trim());
  if (!found.length) return `No matches found for "${name}" in ${real}\n`;
  return [`Found ${found.length} matches for "${name}" in ${real}:`, ...found, ''].join('\n');
};

/** The windowed commands by name (submit is the registry's own tool). */
export const WINDOWED_COMMANDS: Record<string, Windowed> = {
  open,
  goto,
  scroll_up: scroll(-1),
  scroll_down: scroll(1),
  create,
  edit,
  insert,
  search_dir: searchDir,
  search_file: searchFile,
  find_file: findFile,
};

/** The windowed command a bash command string calls, with its words; undefined when it is ordinary bash. */
export function parseWindowed(command: string): { name: string; args: string[] } | undefined {
  const text = command.replace(/^\s+/, '');
  const firstLine = text.split('\n', 1)[0]!;
  const name = /^([a-z_]+)(\s|$)/.exec(firstLine)?.[1];
  if (!name || !(name in WINDOWED_COMMANDS)) return undefined;
  if (name === 'edit' && (parseEditBlock(text) || text.trim() === 'edit')) return { name, args: [] };
  // edit SEARCH REPLACE and insert TEXT take quoted arguments that may span lines.
  if (name === 'edit' || name === 'insert') {
    const words = shellWords(text.trim());
    if (words) return { name, args: words.slice(1) };
    return name === 'edit' && !text.trim().includes('\n') ? { name, args: [] } : undefined;
  }
  // Only a one-line simple command is the function itself; anything else is left to bash.
  if (text.trim().includes('\n')) return undefined;
  const words = shellWords(firstLine);
  return words ? { name, args: words.slice(1) } : undefined;
}

/** Runs a windowed command; its output is the observation. */
export async function runWindowed(ctx: ToolContext, o: { name: string; args: string[]; command: string }): Promise<string> {
  return WINDOWED_COMMANDS[o.name]!(ctx, o.args, o.command.trim());
}
