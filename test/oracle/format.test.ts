// The oracle's two answer formats: the prompt asks for the chosen one, the reference target is written in it, and
// the matching parser reads it back.
import { describe, expect, it } from 'vitest';
import { parseSolutionResponse } from '../../src/evaluate/agentless/search-replace.ts';
import { oracleTarget } from '../../src/oracle/build.ts';
import { patchToEdits } from '../../src/oracle/patch-edits.ts';
import { oraclePrompt, oracleSystemPrompt, parseOracleFormat } from '../../src/oracle/prompt.ts';
import { parseEditsResponse } from '../../src/oracle/response.ts';

const patch = 'diff --git a/m.py b/m.py\n--- a/m.py\n+++ b/m.py\n@@ -1,2 +1,2 @@\n def f():\n-    return 1\n+    return 2\n';

describe('oracle formats', () => {
  it('asks for the chosen format', () => {
    expect(oracleSystemPrompt()).toContain('str_replace_editor');
    expect(oracleSystemPrompt('search-replace')).toContain('<<<<<<< SEARCH');
    expect(oracleSystemPrompt('search-replace')).not.toContain('str_replace_editor');
    expect(oraclePrompt({ issue: 'x', files: [], opts: { format: 'search-replace' } })[0]!.content).toBe(oracleSystemPrompt('search-replace'));
    expect(parseOracleFormat('search-replace')).toBe('search-replace');
    expect(() => parseOracleFormat('diff')).toThrow(/Valid: editor, search-replace/);
  });

  it('writes the target in each format so that its parser reads it', () => {
    const edits = patchToEdits(patch);
    const editor = parseEditsResponse(`<think>t</think>\n${oracleTarget(edits, 'editor')}`);
    expect(editor.ok && editor.calls[0]!.args).toMatchObject({ command: 'str_replace', path: '/testbed/m.py', old_str: 'def f():\n    return 1\n' });
    const sr = parseSolutionResponse(`<think>t</think>\n<solution>\n${oracleTarget(edits, 'search-replace')}\n</solution>`);
    expect(sr.ok && sr.edits).toEqual([{ path: 'm.py', search: 'def f():\n    return 1\n', replace: 'def f():\n    return 2\n' }]);
    const notes: string[] = [];
    oracleTarget([{ path: 'm.py', newStr: 'import os\n', insertLine: 0 }], 'search-replace', notes);
    expect(notes).toEqual(['an insert without context in m.py']);
  });
});
