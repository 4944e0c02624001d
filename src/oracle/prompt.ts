// The oracle prompt (SWE-bench's "oracle" retrieval): the issue and the files the reference patch edits, in full
// when they fit. The policy answers with its reasoning and the edits that resolve the issue in one reply, in one of
// two formats: editor calls (str_replace_editor, the agent's tool) or SWE-RL's SEARCH/REPLACE blocks.
import { renderCall } from '../srl/action-xml.ts';
import { TESTBED } from '../srl/paths.ts';
import { renderToolDocs } from '../srl/tool-docs.ts';
import { TOOLS } from '../srl/action-xml.ts';
import { truncateMiddle } from '../srl/truncate.ts';
import type { ChatMessage } from '../srl/prompt.ts';
import { EDIT_COMMANDS } from './response.ts';
import { SweSrlError } from '../util/errors.ts';
import { SEARCH_REPLACE_FORMAT } from '../evaluate/agentless/search-replace.ts';

export interface OracleFile {
  /** Path relative to the repository root. */
  path: string;
  content: string;
  /** Line ranges (1-based, inclusive) to keep when the file must be cut: where the change goes. */
  focus?: ReadonlyArray<readonly [number, number]>;
}

/** The answer formats: editor calls, or SWE-RL's `<think>` + `<solution>` with SEARCH/REPLACE blocks. */
export const ORACLE_FORMATS = ['editor', 'search-replace'] as const;
export type OracleFormat = (typeof ORACLE_FORMATS)[number];

/** A --format value as an OracleFormat, or a user error listing the valid ones. */
export function parseOracleFormat(v: string): OracleFormat {
  if ((ORACLE_FORMATS as readonly string[]).includes(v)) return v as OracleFormat;
  throw new SweSrlError({ code: 'bad_option', message: `unknown format ${JSON.stringify(v)}`, fault: 'user', field: '--format', value: v, hint: `Valid: ${ORACLE_FORMATS.join(', ')}.` });
}

export interface OraclePromptOptions {
  /** The format the reply must use (default editor). */
  format: OracleFormat;
  /** Characters of one file shown at most (head and tail kept, the middle cut with a note). */
  maxFileChars: number;
  /** Characters of all files together at most; larger files are cut first. */
  maxFilesChars: number;
  maxIssueChars: number;
}

export const DEFAULT_ORACLE_PROMPT: OraclePromptOptions = { format: 'editor', maxFileChars: 24_000, maxFilesChars: 60_000, maxIssueChars: 8_000 };

/** The system message: the task, the editor's documentation (or SEARCH/REPLACE's), the response format. */
export function oracleSystemPrompt(format: OracleFormat = 'editor'): string {
  if (format === 'search-replace') return searchReplaceSystemPrompt();
  const editor = TOOLS.filter((t) => t.name === 'str_replace_editor');
  const example = [
    renderCall({ tool: 'str_replace_editor', args: { command: 'str_replace', path: `${TESTBED}/pkg/mod.py`, old_str: '    return a - b\n', new_str: '    return a + b\n' } }),
    renderCall({ tool: 'str_replace_editor', args: { command: 'insert', path: `${TESTBED}/pkg/mod.py`, insert_line: '10', new_str: 'import os\n' } }),
  ].join('\n');
  return [
    `You are an expert software engineer. You are given an issue of a repository checked out at ${TESTBED} and the`,
    'files that need changing. Write the change that resolves the issue, in one reply, as file edits.',
    '',
    '# Editor',
    '',
    renderToolDocs(editor),
    '',
    '# Response format',
    '',
    'Reply with your reasoning inside <think>...</think>, followed by one or more edits and nothing else:',
    '',
    '<think>',
    'What causes the issue and how to fix it.',
    '</think>',
    example,
    '',
    `Only the ${EDIT_COMMANDS.map((c) => `\`${c}\``).join(', ')} commands are allowed. Edits apply in order; `+
      '`old_str` must match the file exactly (whitespace included) and occur once. Parameter values are taken verbatim.',
  ].join('\n');
}

// SWE-RL's format: the same task, answered with SEARCH/REPLACE blocks inside <solution>.
function searchReplaceSystemPrompt(): string {
  return [
    `You are an expert software engineer. You are given an issue of a repository checked out at ${TESTBED} and the`,
    'files that need changing. Write the change that resolves the issue, in one reply, as SEARCH/REPLACE edits.',
    '',
    SEARCH_REPLACE_FORMAT,
  ].join('\n');
}

/** The user message: the issue and the oracle files, cut to the budget. */
export function oracleUserMessage(o: { issue: string; files: readonly OracleFile[]; opts?: Partial<OraclePromptOptions> }): string {
  const opts = { ...DEFAULT_ORACLE_PROMPT, ...o.opts };
  const issue = truncateMiddle(o.issue.trim(), opts.maxIssueChars).text;
  const shown = fitFiles(o.files, opts);
  const parts = [
    '<issue>',
    issue,
    '</issue>',
    '',
    `The repository is at ${TESTBED}. ${o.files.length === 1 ? 'This file is' : 'These files are'} the ones to change:`,
  ];
  for (const f of shown) parts.push('', `[start of ${TESTBED}/${f.path}]`, f.content.replace(/\n$/, ''), `[end of ${TESTBED}/${f.path}]`);
  if (shown.length === 0) parts.push('', '(no existing file: the change creates new files)');
  parts.push('', 'Resolve the issue by editing these files.');
  return parts.join('\n');
}

/** The chat prompt of an oracle example. */
export function oraclePrompt(o: { issue: string; files: readonly OracleFile[]; opts?: Partial<OraclePromptOptions> }): ChatMessage[] {
  return [
    { role: 'system', content: oracleSystemPrompt(o.opts?.format) },
    { role: 'user', content: oracleUserMessage(o) },
  ];
}

/** Each file cut to a cap, the cap lowered until all files fit maxFilesChars together. */
export function fitFiles(files: readonly OracleFile[], opts: Pick<OraclePromptOptions, 'maxFileChars' | 'maxFilesChars'>): OracleFile[] {
  let cap = opts.maxFileChars;
  const cut = () => files.map((f) => ({ path: f.path, content: cutFile(f, cap) }));
  let out = cut();
  while (cap > 200 && out.reduce((n, f) => n + f.content.length, 0) > opts.maxFilesChars) {
    const longest = Math.max(...out.map((f) => f.content.length));
    cap = Math.floor(Math.min(cap, longest) * 0.8);
    out = cut();
  }
  return out;
}

/**
 * A file cut to at most ~cap characters. Without focus: head and tail. With focus: the first lines (imports) and
 * the widest windows around the focus ranges that fit, other lines replaced by a note saying how many were cut.
 */
export function cutFile(f: OracleFile, cap: number): string {
  if (f.content.length <= cap) return f.content;
  if (!f.focus?.length) return truncateMiddle(f.content, cap).text;
  const lines = f.content.split('\n');
  const render = (margin: number) => {
    const keep = new Uint8Array(lines.length);
    for (let i = 0; i < Math.min(HEAD_LINES, lines.length); i++) keep[i] = 1;
    for (const [a, b] of f.focus!) {
      for (let i = Math.max(0, a - 1 - margin); i <= Math.min(lines.length - 1, b - 1 + margin); i++) keep[i] = 1;
    }
    const out: string[] = [];
    for (let i = 0; i < lines.length; ) {
      if (keep[i]) {
        out.push(lines[i++]!);
        continue;
      }
      let j = i;
      while (j < lines.length && !keep[j]) j++;
      out.push(`[... ${j - i} line${j - i === 1 ? '' : 's'} cut ...]`);
      i = j;
    }
    return out.join('\n');
  };
  // The widest margin that fits (the rendering grows with the margin): binary search.
  let lo = 0;
  let hi = lines.length;
  if (render(0).length > cap) return truncateMiddle(render(0), cap).text;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (render(mid).length <= cap) lo = mid;
    else hi = mid - 1;
  }
  return render(lo);
}

const HEAD_LINES = 20;
