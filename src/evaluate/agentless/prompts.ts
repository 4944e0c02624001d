// The prompts of Agentless-mini (SWE-RL's pipeline), written for this project: localization (the issue and the
// repository's file list -> the files to edit) and repair (the issue and those files -> SEARCH/REPLACE edits in
// SWE-RL's `<think>` + `<solution>` format). Each has a fixed system message, so that a reader of a prompt (the gold
// policy) can tell which stage asks.
import type { ChatMessage } from '../../policy/types.ts';
import { fitFiles, type OracleFile } from '../../oracle/prompt.ts';
import { truncateMiddle } from '../../srl/truncate.ts';
import { SEARCH_REPLACE_FORMAT } from './search-replace.ts';


export interface AgentlessPromptOptions {
  /** Files localization may name at most. */
  maxFiles: number;
  /** Characters of the file list at most (source files first, tests and others after, the rest left out). */
  maxTreeChars: number;
  maxIssueChars: number;
  /** Repair: characters of one file shown at most, and of all files together. */
  maxFileChars: number;
  maxFilesChars: number;
}

export const DEFAULT_AGENTLESS_PROMPT: AgentlessPromptOptions = {
  maxFiles: 5,
  maxTreeChars: 60_000,
  maxIssueChars: 8_000,
  maxFileChars: 24_000,
  maxFilesChars: 60_000,
};

/** The localization stage's system message. */
export function localizeSystemPrompt(): string {
  return [
    'You are an expert software engineer. You are given an issue of a repository and the list of its files.',
    'Name the files that must be edited to resolve the issue, most important first.',
  ].join('\n');
}

/** The repair stage's system message. */
export function repairSystemPrompt(): string {
  return [
    'You are an expert software engineer. You are given an issue of a repository and the contents of the files most',
    'likely to need changing. Find the cause and write the change that resolves the issue as SEARCH/REPLACE edits.',
    '',
    SEARCH_REPLACE_FORMAT,
  ].join('\n');
}

/** The localization prompt: the issue and the file list, cut to the budget. */
export function localizePrompt(o: { issue: string; files: readonly string[]; opts?: Partial<AgentlessPromptOptions> }): ChatMessage[] {
  const opts = { ...DEFAULT_AGENTLESS_PROMPT, ...o.opts };
  const { shown, left } = fitTree(o.files, opts.maxTreeChars);
  const user = [
    '<issue>',
    truncateMiddle(o.issue.trim(), opts.maxIssueChars).text,
    '</issue>',
    '',
    '<files>',
    ...shown,
    ...(left ? [`(${left} more files not shown)`] : []),
    '</files>',
    '',
    `Which files must be edited to resolve the issue? Give at most ${opts.maxFiles}, one path per line as listed above,`,
    'most important first, inside one ``` block, and nothing else. For example:',
    '```',
    'pkg/core.py',
    'pkg/util.py',
    '```',
  ].join('\n');
  return [
    { role: 'system', content: localizeSystemPrompt() },
    { role: 'user', content: user },
  ];
}

/** The repair prompt: the issue and the localized files (cut to the budget around nothing in particular). */
export function repairPrompt(o: { issue: string; files: readonly OracleFile[]; opts?: Partial<AgentlessPromptOptions> }): ChatMessage[] {
  const opts = { ...DEFAULT_AGENTLESS_PROMPT, ...o.opts };
  const shown = fitFiles(o.files, { maxFileChars: opts.maxFileChars, maxFilesChars: opts.maxFilesChars });
  const parts = ['<issue>', truncateMiddle(o.issue.trim(), opts.maxIssueChars).text, '</issue>', '', 'The files that may need changing:'];
  for (const f of shown) parts.push('', `### ${f.path}`, '```', f.content.replace(/\n$/, ''), '```');
  if (!shown.length) parts.push('', '(none found: the change may create new files)');
  parts.push('', 'Resolve the issue with SEARCH/REPLACE edits of these files.');
  return [
    { role: 'system', content: repairSystemPrompt() },
    { role: 'user', content: parts.join('\n') },
  ];
}

/** Which agentless stage a prompt asks for, by its system message. */
export function agentlessStage(prompt: readonly ChatMessage[]): 'localize' | 'repair' | undefined {
  const system = prompt.find((m) => m.role === 'system')?.content;
  if (system === localizeSystemPrompt()) return 'localize';
  if (system === repairSystemPrompt()) return 'repair';
  return undefined;
}

/** Test files and files that are not source come after the others. */
function rank(path: string): number {
  const test = /(^|\/)(tests?|testing)\/|(^|\/)test_[^/]*$|_test\.[^/]+$/.test(path);
  const source = /\.(py|pyx|pyi|js|ts|jsx|tsx|java|go|rs|rb|php|c|cc|cpp|h|hpp|cs|scala|kt|swift)$/.test(path);
  return (test ? 1 : 0) + (source ? 0 : 2);
}

/** The paths that fit the budget, source files first, listed in path order; left: how many did not fit. */
export function fitTree(files: readonly string[], maxChars: number): { shown: string[]; left: number } {
  const byRank = [...files].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
  const shown: string[] = [];
  let used = 0;
  for (const f of byRank) {
    if (used + f.length + 1 > maxChars) break;
    shown.push(f);
    used += f.length + 1;
  }
  return { shown: shown.sort(), left: files.length - shown.length };
}
