// The shell scripts behind Sandbox.applyPatch and Sandbox.diff, shared by every backend that runs bash in the
// repository: SWE-bench's patch fallbacks in one exec, and a working-tree diff that includes new files.
import { filesTouchedByPatch } from '../util/patch-paths.ts';
import { shellQuote } from '../util/shell.ts';
import type { PatchMethod, PatchResult } from './types.ts';

const PATCH_METHODS: Array<{ method: PatchMethod; cmd: (f: string) => string }> = [
  { method: 'git apply', cmd: (f) => `git apply --verbose ${f}` },
  { method: 'git apply --reject', cmd: (f) => `git apply --verbose --reject ${f}` },
  { method: 'patch --fuzz=5', cmd: (f) => `patch --batch --fuzz=5 -p1 -i ${f}` },
];

/**
 * One script for all attempts at applying the patch in `file` (written by the caller): snapshot the touched files,
 * try each method in turn, restore after a failed one (--reject and patch may leave half-applied hunks), stop at the
 * first that applies. `parse` reads the script's output into the result.
 */
export function patchApplyScript(file: string, patch: string): { command: string; parse: (output: string) => PatchResult } {
  const list = filesTouchedByPatch(patch).map(shellQuote).join(' ');
  const f = shellQuote(file);
  const backup = shellQuote(`${file}.backup.tar`);
  const command = [
    `existed=$(mktemp); for f in ${list}; do [ -e "$f" ] && printf '%s\\n' "$f" >> "$existed"; done`,
    `tar -cf ${backup} -T "$existed" 2>/dev/null || tar -cf ${backup} -T /dev/null`,
    ...PATCH_METHODS.map(
      (m) =>
        `echo ${shellQuote(`@@attempt ${m.cmd(f)}`)}; ${m.cmd(f)} 2>&1; rc=$?; echo "@@exit $rc"; ` +
        `if [ $rc = 0 ]; then find . -name '*.rej' -newer ${f} -delete 2>/dev/null; exit 0; fi; ` +
        `for f in ${list}; do grep -qxF "$f" "$existed" || rm -f "$f"; rm -f "$f.rej" "$f.orig"; done; tar -xf ${backup}`,
    ),
    'exit 1',
  ].join('\n');
  const parse = (output: string): PatchResult => {
    const attempts = [...output.matchAll(/^@@attempt (.+)\n([\s\S]*?)^@@exit (\d+)$/gm)];
    const log = attempts.map((m) => `$ ${m[1]}\n${m[2]!.trimEnd()}\n(exit ${m[3]})`).join('\n');
    const ok = attempts.find((m) => m[3] === '0');
    if (!ok) return { applied: false, log: log || output };
    const method = PATCH_METHODS.find((p) => p.cmd(f) === ok[1])!.method;
    return { applied: true, method, log };
  };
  return { command, parse };
}

/** The working tree's changes against baseRef, new files included, through a throw-away index (the repository's own is untouched). */
export function workingTreeDiffCommand(baseRef: string): string {
  return (
    `t=$(mktemp); cp .git/index "$t" 2>/dev/null; export GIT_INDEX_FILE="$t"; git add -A >/dev/null 2>&1; ` +
    `git -c core.quotepath=false diff --cached --no-color --no-ext-diff ${shellQuote(baseRef)}; rc=$?; rm -f "$t"; exit $rc`
  );
}
