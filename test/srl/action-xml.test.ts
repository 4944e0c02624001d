import { describe, expect, it } from 'vitest';
import { getTool, parseCall, readCallAt, renderCall, TOOLS, validateCall } from '../../src/srl/action-xml.ts';
import type { ToolCall } from '../../src/trajectories/types.ts';
import { SweSrlError } from '../../src/util/errors.ts';
import { missingShared } from '../helpers/shared.ts';
import { TRAJ_REL } from '../trajectories/helpers.ts';
import { collectActions } from './similarity-pairs.ts';

const reason = (text: string): string => {
  const r = parseCall(text);
  return r.ok ? 'ok' : r.reason;
};

describe('tool table', () => {
  it('lists bash, str_replace_editor and submit with their required parameters', () => {
    expect(TOOLS.map((t) => t.name)).toEqual(['bash', 'str_replace_editor', 'submit']);
    expect(getTool('bash')?.parameters.filter((p) => p.required).map((p) => p.name)).toEqual(['command']);
    const editor = getTool('str_replace_editor');
    expect(editor?.parameters.map((p) => p.name)).toEqual([
      'command',
      'path',
      'file_text',
      'old_str',
      'new_str',
      'insert_line',
      'view_range',
    ]);
    expect(editor?.parameters.filter((p) => p.required).map((p) => p.name)).toEqual(['command', 'path']);
    expect(getTool('submit')?.parameters).toEqual([]);
    expect(getTool('execute_bash')).toBeUndefined();
  });
});

describe('renderCall', () => {
  it('renders one parameter per block in table order, values verbatim', () => {
    const call: ToolCall = {
      tool: 'str_replace_editor',
      args: { new_str: '  return 2\n', old_str: '  return 1\n', path: '/testbed/a.py', command: 'str_replace' },
    };
    expect(renderCall(call)).toBe(
      '<function=str_replace_editor>\n' +
        '<parameter=command>str_replace</parameter>\n' +
        '<parameter=path>/testbed/a.py</parameter>\n' +
        '<parameter=old_str>  return 1\n</parameter>\n' +
        '<parameter=new_str>  return 2\n</parameter>\n' +
        '</function>',
    );
    expect(renderCall({ tool: 'submit', args: {} })).toBe('<function=submit>\n</function>');
    expect(renderCall({ tool: 'bash', args: { command: '' } })).toBe('<function=bash>\n<parameter=command></parameter>\n</function>');
  });

  it('refuses unknown parameters and values that cannot round-trip', () => {
    expect(() => renderCall({ tool: 'bash', args: { command: 'ls', timeout: '3' } })).toThrow(SweSrlError);
    expect(() => renderCall({ tool: 'bash', args: { command: 'echo </parameter>' } })).toThrow(/unrenderable_value/);
  });

  it('round-trips through parseCall', () => {
    const calls: ToolCall[] = [
      { tool: 'bash', args: { command: 'grep -rn "def foo" /testbed/src | head -n 5 && echo <done>' } },
      { tool: 'str_replace_editor', args: { command: 'create', path: '/t/x.py', file_text: '\nprint("</function>")\n\n' } },
      { tool: 'str_replace_editor', args: { command: 'view', path: '/t/x.py', view_range: '[1, -1]' } },
      { tool: 'str_replace_editor', args: { command: 'insert', path: '/t/x.py', insert_line: '3', new_str: 'x = 1 # 😀' } },
      { tool: 'submit', args: {} },
    ];
    for (const call of calls) {
      const parsed = parseCall(renderCall(call));
      expect(parsed.ok && parsed.call).toEqual(call);
    }
  });

  it.skipIf(missingShared('XML calls of the real trajectories', TRAJ_REL))('renders every XML call of the shared trajectories back to a call that parses the same', () => {
    const xml = collectActions().filter((s) => s.startsWith('<function='));
    let parsedCount = 0;
    for (const text of xml) {
      const parsed = parseCall(text);
      if (!parsed.ok) continue;
      parsedCount++;
      const again = parseCall(renderCall(parsed.call));
      expect(again.ok && again.call).toEqual(parsed.call);
    }
    expect(parsedCount).toBeGreaterThan(20);
  });
});

describe('parseCall', () => {
  it('parses a call in the SWE-smith layout and records its span', () => {
    const text = '  \n<function=bash>\n<parameter=command>ls -la /testbed</parameter>\n</function>\n';
    const r = parseCall(text);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.call).toEqual({ tool: 'bash', args: { command: 'ls -la /testbed' } });
    expect(text.slice(r.start, r.end)).toBe('<function=bash>\n<parameter=command>ls -la /testbed</parameter>\n</function>');
  });

  it('accepts a call on one line and multi-line values kept exactly', () => {
    expect(parseCall('<function=submit></function>')).toMatchObject({ ok: true, call: { tool: 'submit', args: {} } });
    const r = parseCall('<function=str_replace_editor><parameter=command>create</parameter><parameter=path>/a</parameter>' +
      '<parameter=file_text>\nline 1\n  line 2\n</parameter></function>');
    expect(r.ok && r.call.args.file_text).toBe('\nline 1\n  line 2\n');
  });

  it('gives a reason code for each malformed call', () => {
    expect(reason('')).toBe('no_call');
    expect(reason('ls -la')).toBe('no_call');
    expect(reason('run: <function=bash><parameter=command>ls</parameter></function>')).toBe('text_before_call');
    expect(reason('<function=bash><parameter=command>ls</parameter></function> done')).toBe('extra_text');
    expect(reason('<function=bash><parameter=command>ls</parameter></function>\n<function=submit></function>')).toBe('multiple_calls');
    expect(reason('<function=bash\n<parameter=command>ls</parameter></function>')).toBe('unclosed_tag');
    expect(reason('<function=bash><parameter=command>ls</parameter>')).toBe('unclosed_tag');
    expect(reason('<function=bash><parameter=command>ls</function>')).toBe('unclosed_tag');
    expect(reason('<function=bash><parameter=command\n>ls</parameter></function>')).toBe('unclosed_tag');
    expect(reason('<function=bash>ls -la</function>')).toBe('malformed_call');
    expect(reason('<function=bash><function=bash><parameter=command>ls</parameter></function>')).toBe('malformed_call');
    expect(reason('<function=execute_bash><parameter=command>ls</parameter></function>')).toBe('unknown_tool');
    expect(reason('<function=bash><parameter=cmd>ls</parameter></function>')).toBe('unknown_parameter');
    expect(reason('<function=bash><parameter=__proto__>x</parameter><parameter=command>ls</parameter></function>')).toBe(
      'unknown_parameter',
    );
    expect(reason('<function=submit><parameter=command>ls</parameter></function>')).toBe('unknown_parameter');
    expect(reason('<function=bash><parameter=command>a</parameter><parameter=command>b</parameter></function>')).toBe(
      'duplicate_parameter',
    );
    expect(reason('<function=bash></function>')).toBe('missing_parameter');
    expect(reason('<function=str_replace_editor><parameter=command>view</parameter></function>')).toBe('missing_parameter');
  });

  it('enforces the requirements of each str_replace_editor command', () => {
    const editor = (params: Record<string, string>): string =>
      reason(renderCall({ tool: 'str_replace_editor', args: { path: '/testbed/a.py', ...params } }));
    expect(editor({ command: 'view' })).toBe('ok');
    expect(editor({ command: 'undo_edit' })).toBe('ok');
    expect(editor({ command: 'create' })).toBe('missing_parameter');
    expect(editor({ command: 'create', file_text: '' })).toBe('ok');
    expect(editor({ command: 'str_replace', new_str: 'x' })).toBe('missing_parameter');
    expect(editor({ command: 'str_replace', old_str: 'x' })).toBe('ok');
    expect(editor({ command: 'insert', new_str: 'x' })).toBe('missing_parameter');
    expect(editor({ command: 'insert', insert_line: '4' })).toBe('missing_parameter');
    expect(editor({ command: 'insert', insert_line: '4', new_str: 'x' })).toBe('ok');
    expect(editor({ command: 'insert', insert_line: 'four', new_str: 'x' })).toBe('invalid_value');
    expect(editor({ command: 'delete' })).toBe('invalid_value');
    expect(editor({ command: 'view', view_range: '[10, 20]' })).toBe('ok');
    expect(editor({ command: 'view', view_range: '10-20' })).toBe('invalid_value');
  });

  it('readCallAt reads a call at an offset and validateCall checks a call on its own', () => {
    const text = 'xx<function=submit>\n</function>yy';
    expect(readCallAt(text, 2)).toMatchObject({ ok: true, start: 2, end: text.length - 2 });
    expect(readCallAt(text, 0)).toMatchObject({ ok: false, reason: 'no_call' });
    expect(validateCall('bash', { command: 'ls' })).toBeNull();
    expect(validateCall('python', {})).toMatchObject({ reason: 'unknown_tool' });
  });
});
