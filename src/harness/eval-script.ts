// The eval script (SWE-bench's eval.sh semantics): in the workdir, reset the test files to the base commit, apply
// the test patch, run the test command between nonce markers, record its exit status, reset the test files again.
// The runner applies the predicted patch before this script runs, and writes the test patch to a file in the
// sandbox (`testPatchPath`) rather than inlining it, so no heredoc delimiter can collide with patch content.
import type { Markers } from './test-output.ts';

export interface EvalScriptOptions {
  /** Shell command that runs the tests, e.g. "pytest -rA"; directives are appended. */
  testCommand: string;
  /** Test-command arguments (see testDirectives), appended shell-quoted. */
  directives: readonly string[];
  /** Where the runner put the test patch inside the sandbox. */
  testPatchPath: string;
  /** Files the test patch touches (see filesTouchedByPatch): reset before and after the run. */
  testFiles: readonly string[];
  /** Commit (or ref) the test files are reset to. */
  baseRef: string;
  markers: Markers;
  /** Repository directory. */
  workdir?: string;
  /** Exported before anything else runs. */
  env?: Readonly<Record<string, string>>;
  /** Shell lines run first, e.g. conda activation for the official images (see OFFICIAL_IMAGE_PREFIX). */
  preCommands?: readonly string[];
  /** When set, the test command is killed after this many seconds and the timed-out marker printed. */
  timeoutS?: number;
}

const SAFE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** Quotes a word for bash; plain words (paths, module labels) stay bare, as SWE-bench writes them. */
export function shellQuote(s: string): string {
  if (SAFE_WORD.test(s)) return s;
  return `'${s.replaceAll("'", `'\\''`)}'`;
}

/** The full command line the script runs: test command plus quoted directives. */
export function testCommandLine(testCommand: string, directives: readonly string[]): string {
  return [testCommand, ...directives.map(shellQuote)].join(' ');
}

/** Builds the bash eval script; its exit status is 0 unless setup failed (the test result is in the log). */
export function buildEvalScript(opts: EvalScriptOptions): string {
  const m = opts.markers;
  const workdir = opts.workdir ?? '/testbed';
  const q = shellQuote;
  const files = opts.testFiles.map(q).join(' ');
  const cmd = testCommandLine(opts.testCommand, opts.directives);
  const run =
    opts.timeoutS === undefined
      ? `${cmd} < /dev/null`
      : `timeout --kill-after=10 ${Math.max(1, Math.ceil(opts.timeoutS))} bash -c ${q(cmd)} < /dev/null`;
  const lines = [
    '#!/bin/bash',
    '# swe-srl eval script. No `set -e`: a failing test command must not stop the reset that follows.',
    'set -uo pipefail',
    // one stream, in order: markers and the tests' stderr (Django reports there) must interleave correctly
    'exec 2>&1',
    ...(opts.preCommands ?? []),
    ...Object.entries(opts.env ?? {}).map(([k, v]) => `export ${k}=${q(v)}`),
    `cd ${q(workdir)} || { echo ${q(m.resetFailed)}; exit 3; }`,
    `git config --global --add safe.directory ${q(workdir)} 2>/dev/null || true`,
    `SWE_SRL_BASE=${q(opts.baseRef)}`,
    // A file missing at the base commit was created by the test patch: remove any copy the predicted patch
    // wrote, so the official version is the one that applies (SWE-bench's eval scripts `rm -f` these too).
    'swe_srl_reset() {',
    '  local f',
    // `for f in ; do` is a syntax error: an empty list loops over nothing instead
    `  for f in ${files || "''"}; do`,
    '    [ -n "$f" ] || continue',
    '    if git cat-file -e "$SWE_SRL_BASE:$f" 2>/dev/null; then',
    '      git checkout "$SWE_SRL_BASE" -- "$f" || return 1',
    '    else',
    '      rm -f -- "$f" || return 1',
    '    fi',
    '  done',
    '}',
    `swe_srl_reset || { echo ${q(m.resetFailed)}; exit 3; }`,
    `if [ -s ${q(opts.testPatchPath)} ]; then`,
    `  git apply -v ${q(opts.testPatchPath)} || { echo ${q(m.testPatchFailed)}; swe_srl_reset; exit 4; }`,
    'fi',
    `echo ${q(m.start)}`,
    run,
    'swe_srl_rc=$?',
    // the end marker starts its own line even when the tests' last line has no newline
    `echo; echo ${q(m.end)}`,
    `echo ${q(`${m.exitCode}: `)}"$swe_srl_rc"`,
    ...(opts.timeoutS === undefined ? [] : [`if [ "$swe_srl_rc" -eq 124 ] || [ "$swe_srl_rc" -eq 137 ]; then echo ${q(m.timedOut)}; fi`]),
    `swe_srl_reset || echo ${q(m.resetFailed)}`,
    'exit 0',
    '',
  ];
  return lines.join('\n');
}
