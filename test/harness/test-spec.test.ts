import { describe, expect, it } from 'vitest';
import { filesTouchedByPatch, testDirectives, testFilesFromPatch } from '../../src/harness/test-spec.ts';
import { loadTasks } from '../../src/tasks/load.ts';
import { missingShared, sharedPath } from '../helpers/shared.ts';

const LITE = 'data/swe-bench-lite.json';
const lite = sharedPath(LITE);
const noLite = missingShared('test files of the real Lite patches', LITE);

const PATCH = `diff --git a/tests/forms_tests/test_urlfield.py b/tests/forms_tests/test_urlfield.py
--- a/tests/forms_tests/test_urlfield.py
+++ b/tests/forms_tests/test_urlfield.py
@@ -1,3 +1,4 @@
+--- a/not/a/header.py
 x
diff --git a/tests/data/fixture.json b/tests/data/fixture.json
new file mode 100644
--- /dev/null
+++ b/tests/data/fixture.json
@@ -0,0 +1 @@
+{}
diff --git a/tests/old_name.py b/tests/new_name.py
similarity index 90%
rename from tests/old_name.py
rename to tests/new_name.py
diff --git a/tests/img.png b/tests/img.png
Binary files a/tests/img.png and b/tests/img.png differ
diff --git a/tests/removed.py b/tests/removed.py
deleted file mode 100644
--- a/tests/removed.py
+++ /dev/null
@@ -1 +0,0 @@
-x
diff --git a/tests/data.csv b/tests/data.csv
--- a/tests/data.csv
+++ b/tests/data.csv
@@ -1 +1 @@
-a
+b
`;

describe('testFilesFromPatch', () => {
  it('takes diff --git targets and drops non-test extensions (SWE-bench keeps deleted files)', () => {
    expect(testFilesFromPatch(PATCH)).toEqual(['tests/forms_tests/test_urlfield.py', 'tests/new_name.py', 'tests/removed.py']);
  });

  it('drops any name ending in "csv", as SWE-bench\'s dotless entry does', () => {
    expect(testFilesFromPatch('diff --git a/tests/test_readcsv b/tests/test_readcsv\n')).toEqual([]);
  });

  it.skipIf(noLite)('finds the real Lite test files', async () => {
    const tasks = await loadTasks(lite, { instances: ['django__django-11099', 'sympy__sympy-20590', 'psf/requests'.replace('/', '__') + '-2317'] });
    const byId = Object.fromEntries(tasks.map((t) => [t.instance_id, t]));
    expect(testFilesFromPatch(byId['sympy__sympy-20590']!.test_patch)).toEqual(['sympy/core/tests/test_basic.py']);
    const dj = testFilesFromPatch(byId['django__django-11099']!.test_patch);
    expect(testDirectives(dj, 'django')).toEqual(['auth_tests.test_validators']);
    expect(testFilesFromPatch(byId['psf__requests-2317']!.test_patch)).toEqual(['test_requests.py']);
  });
});

describe('testDirectives', () => {
  it('makes django labels: .py stripped, then tests/, then / -> .', () => {
    expect(testDirectives(['tests/admin_views/tests.py', 'tests/x/y.txt.py', 'django/tests/z.py', 'tests/dir'], 'django')).toEqual([
      'admin_views.tests',
      'x.y.txt',
      'django.tests.z',
      'dir',
    ]);
  });

  it('keeps paths for pytest and sympy', () => {
    const files = ['sympy/core/tests/test_basic.py'];
    expect(testDirectives(files, 'sympy')).toEqual(files);
    expect(testDirectives(files, 'paths')).toEqual(files);
  });
});

describe('filesTouchedByPatch', () => {
  it('lists old and new names, never /dev/null, and ignores --- lines inside hunks', () => {
    expect(filesTouchedByPatch(PATCH)).toEqual([
      'tests/forms_tests/test_urlfield.py',
      'tests/data/fixture.json',
      'tests/old_name.py',
      'tests/new_name.py',
      'tests/img.png',
      'tests/removed.py',
      'tests/data.csv',
    ]);
  });

  it('unquotes C-quoted names and handles a header-only binary change with spaces', () => {
    const p = 'diff --git "a/tests/sp\\303\\251cial\\tx.py" "b/tests/sp\\303\\251cial\\tx.py"\nBinary files differ\n' +
      'diff --git a/tests/a b.bin b/tests/a b.bin\nBinary files differ\n';
    expect(filesTouchedByPatch(p)).toEqual(['tests/spécial\tx.py', 'tests/a b.bin']);
  });

  it.skipIf(noLite)('covers every file of every Lite test patch', async () => {
    for (const t of await loadTasks(lite)) {
      const touched = filesTouchedByPatch(t.test_patch);
      for (const f of testFilesFromPatch(t.test_patch)) expect(touched).toContain(f);
    }
  });
});
