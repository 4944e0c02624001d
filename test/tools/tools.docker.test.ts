// The agent tools on a real sandbox: str_replace_editor, SWE-agent's windowed commands (with the session's cwd),
// and submit. One container for the file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DockerEngine } from '../../src/sandbox/docker-engine.ts';
import { createDockerSandbox } from '../../src/sandbox/docker-sandbox.ts';
import type { Sandbox } from '../../src/sandbox/types.ts';
import { createToolContext, type ToolContext } from '../../src/tools/context.ts';
import { runToolCall } from '../../src/tools/registry.ts';
import { BASE_IMAGE, dockerSkipReason } from '../helpers/docker.ts';

const body = Array.from({ length: 250 }, (_, i) => (i === 199 ? 'def target():' : `x${i + 1} = ${i + 1}`)).join('\n') + '\n';

describe.skipIf(dockerSkipReason)('agent tools on a DockerSandbox', () => {
  const engine = new DockerEngine();
  let sb: Sandbox;
  let ctx: ToolContext;
  const bash = async (command: string) => (await runToolCall(ctx, { tool: 'bash', args: { command } })).output;
  const ed = async (args: Record<string, string>) => (await runToolCall(ctx, { tool: 'str_replace_editor', args })).output;

  beforeAll(async () => {
    sb = await createDockerSandbox({ engine, image: BASE_IMAGE, workdir: '/testbed', baseRef: 'base' });
    await sb.exec('mkdir -p /testbed/pkg/sub && cd /testbed && git init -q && git config user.email t@t && git config user.name t', { cwd: '/' });
    await sb.writeFile('/testbed/pkg/mod.py', body);
    await sb.writeFile('/testbed/pkg/sub/b.txt', 'needle here\nand needle\n');
    await sb.exec('git add -A && git commit -qm base && git tag base');
    ctx = createToolContext({ sandbox: sb, session: await sb.openSession() });
  });
  afterAll(async () => {
    await sb?.close();
  });

  it('windowed viewer: open, goto, scroll, search, find_file, following the session cwd', async () => {
    await bash('cd pkg');
    const open = await bash('open mod.py');
    expect(open.split('\n').slice(0, 3)).toEqual(['[File: /testbed/pkg/mod.py (250 lines total)]', '1:x1 = 1', '2:x2 = 2']);
    expect(open).toContain('100:x100 = 100\n(150 more lines below)\n');
    const down = await bash('scroll_down');
    expect(down).toContain('(98 more lines above)\n99:x99 = 99');
    expect(await bash('goto 200')).toContain('(150 more lines above)\n151:x151 = 151');
    expect(await bash('goto 120')).toContain('(104 more lines above)\n105:x105 = 105');
    expect(await bash('goto 999')).toBe('Error: <line> must be less than or equal to 250\n');
    expect(await bash('search_file target')).toBe(
      'Found 1 matches for "target" in /testbed/pkg/mod.py:\nLine 200:def target():\nEnd of matches for "target" in /testbed/pkg/mod.py\n',
    );
    expect(await bash('search_dir needle')).toBe(
      'Found 2 matches for "needle" in /testbed/pkg:\n/testbed/pkg/sub/b.txt (2 matches)\nEnd of matches for "needle" in /testbed/pkg\n',
    );
    expect(await bash('find_file "b.txt" /testbed')).toBe('Found 1 matches for "b.txt" in /testbed:\n/testbed/pkg/sub/b.txt\n');
    expect(await bash('open nope.py')).toBe('File nope.py not found\n');
    expect(await bash('open sub')).toContain('Error: sub is a directory.');
  });

  it('windowed edit applies a range, and refuses one that breaks the syntax', async () => {
    await bash('cd /testbed');
    expect(await bash('create new.py')).toBe('[File: /testbed/new.py (1 lines total)]\n1:\n');
    expect(await bash('create new.py')).toMatch(/^Error: File 'new.py' already exists\.\n\[File:/);
    const ok = await bash('edit 1:1\ndef f():\n    return 1\nend_of_edit');
    expect(ok).toBe('[File: /testbed/new.py (2 lines total)]\n1:def f():\n2:    return 1\nFile updated. Please review the changes and make sure they are correct (correct indentation, no duplicate lines, etc). Edit the file again if necessary.\n');
    const bad = await bash('edit 2:2\nreturn 1\n  x\nend_of_edit');
    expect(bad).toMatch(/^Your proposed edit has introduced new syntax error\(s\)/);
    expect(bad).toContain('- E999 IndentationError');
    expect(await sb.readFile('/testbed/new.py')).toBe('def f():\n    return 1\n');
  });

  it('str_replace_editor: view, create, str_replace, insert, undo_edit with SWE-agent messages', async () => {
    expect(await ed({ command: 'view', path: '/testbed/pkg/mod.py', view_range: '[200, 201]' })).toBe(
      "Here's the result of running `cat -n` on /testbed/pkg/mod.py:\n   200\tdef target():\n   201\tx201 = 201\n",
    );
    const dir = await ed({ command: 'view', path: '/testbed/pkg' });
    expect(dir).toMatch(/^Here's the files and directories up to 2 levels deep in \/testbed\/pkg, excluding hidden items:\n/);
    expect(dir).toContain('/testbed/pkg/sub/b.txt');
    expect(await ed({ command: 'view', path: 'pkg/mod.py' })).toBe(
      'The path pkg/mod.py is not an absolute path, it should start with `/`. Maybe you meant /testbed/pkg/mod.py?',
    );
    expect(await ed({ command: 'create', path: '/testbed/pkg/mod.py', file_text: 'x' })).toBe(
      'File already exists at: /testbed/pkg/mod.py. Cannot overwrite files using command `create`.',
    );
    expect(await ed({ command: 'create', path: '/testbed/c.txt', file_text: 'a\nb\nb\n' })).toBe('File created successfully at: /testbed/c.txt');
    expect(await ed({ command: 'str_replace', path: '/testbed/c.txt', old_str: 'b', new_str: 'B' })).toBe(
      'No replacement was performed. Multiple occurrences of old_str `b` in lines [2, 3]. Please ensure it is unique',
    );
    expect(await ed({ command: 'str_replace', path: '/testbed/c.txt', old_str: 'a\n', new_str: 'A\n' })).toContain('     1\tA\n');
    expect(await ed({ command: 'insert', path: '/testbed/c.txt', insert_line: '1', new_str: 'ins' })).toContain('     2\tins\n');
    expect(await sb.readFile('/testbed/c.txt')).toBe('A\nins\nb\nb\n');
    expect(await ed({ command: 'undo_edit', path: '/testbed/c.txt' })).toMatch(/^Last edit to \/testbed\/c.txt undone successfully\./);
    expect(await sb.readFile('/testbed/c.txt')).toBe('A\nb\nb\n');
    await ed({ command: 'undo_edit', path: '/testbed/c.txt' });
    expect(await sb.readFile('/testbed/c.txt')).toBe('a\nb\nb\n');
    expect(await ed({ command: 'undo_edit', path: '/testbed/pkg/mod.py' })).toBe('No edit history found for /testbed/pkg/mod.py.');
    expect(await ed({ command: 'view', path: '/testbed/none' })).toBe('The path /testbed/none does not exist. Please provide a valid path.');
    expect(await ed({ command: 'delete', path: '/testbed/c.txt' })).toMatch(/^Unrecognized command delete\./);
  });

  it('submit returns the diff against the base, new files included', async () => {
    const r = await runToolCall(ctx, { tool: 'bash', args: { command: 'submit' } });
    expect(r.submission).toContain('diff --git a/c.txt b/c.txt');
    expect(r.submission).toContain('+++ b/new.py');
    expect(() => runToolCall(ctx, { tool: 'python', args: {} })).toThrow(/valid: bash, str_replace_editor, submit/);
  });
});
