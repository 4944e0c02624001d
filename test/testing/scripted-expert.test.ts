import { describe, expect, it } from 'vitest';
import { patchToEdits } from '../../src/oracle/patch-edits.ts';
import { expertCalls } from '../../src/testing/scripted-expert.ts';

const patch = `diff --git a/pkg/a.py b/pkg/a.py
index 1111111..2222222 100644
--- a/pkg/a.py
+++ b/pkg/a.py
@@ -1,3 +1,3 @@
 def f():
-    return 1
+    return 2
 
diff --git a/pkg/new.py b/pkg/new.py
new file mode 100644
--- /dev/null
+++ b/pkg/new.py
@@ -0,0 +1,2 @@
+X = 1
+Y = 2
`;

describe('scripted expert', () => {
  it('turns each hunk into a str_replace (context + removed -> context + added), new files into create', () => {
    expect(patchToEdits(patch)).toEqual([
      { path: 'pkg/a.py', oldStr: 'def f():\n    return 1\n\n', newStr: 'def f():\n    return 2\n\n', line: 1 },
      { path: 'pkg/new.py', newStr: 'X = 1\nY = 2\n' },
    ]);
  });

  it('views edited files, edits, tests, submits', () => {
    const calls = expertCalls({ patch, root: '/testbed', testCommand: 'pytest -q' }).map((c) => c.call);
    expect(calls.map((c) => `${c.tool}:${c.args.command ?? ''}`)).toEqual([
      "bash:find . -name '*.py' -not -path './.git/*' | sort",
      'str_replace_editor:view',
      'str_replace_editor:str_replace',
      'str_replace_editor:create',
      'bash:pytest -q',
      'submit:',
    ]);
    expect(calls[1]!.args.path).toBe('/testbed/pkg/a.py');
  });
});
