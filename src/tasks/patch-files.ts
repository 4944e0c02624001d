// The files a unified git diff touches, read from its `diff --git a/X b/Y` headers (as the SWE-bench harness does
// to find the test files of a test patch).

const HEADER = /^diff --git a\/(\S+) b\/(\S+)$/gm;

/** Sorted, de-duplicated paths touched by `patch` (the b/ side; the a/ side too for renames and deletions). */
export function patchedFiles(patch: string): string[] {
  const files = new Set<string>();
  for (const m of patch.matchAll(HEADER)) {
    if (m[1] !== undefined) files.add(m[1]);
    if (m[2] !== undefined) files.add(m[2]);
  }
  return [...files].sort();
}

/** The file part of a pytest test id: `tests/test_x.py::Class::test[param]` -> `tests/test_x.py`. */
export function testFileOf(testId: string): string {
  const i = testId.indexOf('::');
  return i === -1 ? testId : testId.slice(0, i);
}
