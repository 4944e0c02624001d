// What a test patch asks the harness to run: its test files (as SWE-bench's get_test_directives finds them),
// the directives the test command takes, and every file it touches (what the eval script resets).

/** SWE-bench's NON_TEST_EXTS, verbatim: "csv" has no dot there, so any name ending in "csv" is dropped. */
export const NON_TEST_EXTS: readonly string[] = ['.json', '.png', 'csv', '.txt', '.md', '.jpg', '.jpeg', '.pkl', '.yml', '.yaml', '.toml'];

export type DirectiveStyle = 'paths' | 'django' | 'sympy';

// SWE-bench's `diff --git a/.* b/(.*)`, unanchored as there, with Python's `.` (anything but "\n").
const DIFF_TARGET_RE = /diff --git a\/[^\n]* b\/([^\n]*)/g;

/** The files a test patch runs, in patch order: targets of its `diff --git` headers minus non-test extensions. */
export function testFilesFromPatch(testPatch: string): string[] {
  const files: string[] = [];
  for (const m of testPatch.matchAll(DIFF_TARGET_RE)) {
    const f = m[1]!;
    if (!NON_TEST_EXTS.some((ext) => f.endsWith(ext))) files.push(f);
  }
  return files;
}

/** The files a patch creates (`new file mode`, or `--- /dev/null`), by their `diff --git` target names. */
export function filesCreatedByPatch(patch: string): string[] {
  const out: string[] = [];
  for (const section of patch.split(/^(?=diff --git )/m)) {
    const target = /^diff --git a\/[^\n]* b\/([^\n]*)/.exec(section)?.[1];
    if (target !== undefined && /^(?:new file mode |--- \/dev\/null)/m.test(section)) out.push(target);
  }
  return out;
}

/**
 * Turns test files into test-command arguments. `django`: runtests.py labels (".py" then a leading "tests/"
 * stripped, "/" -> "."). `sympy`: bin/test takes paths, so SWE-bench passes them unchanged, as does `paths`.
 */
export function testDirectives(files: readonly string[], style: DirectiveStyle): string[] {
  if (style !== 'django') return [...files];
  return files.map((f) => {
    let d = f.endsWith('.py') ? f.slice(0, -'.py'.length) : f;
    d = d.startsWith('tests/') ? d.slice('tests/'.length) : d;
    return d.replaceAll('/', '.');
  });
}

export { filesTouchedByPatch } from '../util/patch-paths.ts';
