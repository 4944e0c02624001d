import { describe, expect, it } from 'vitest';
import { argText, callFromFunction, lastFencedBlock, parseXmlCall, sweAgentCommandCall } from '../../src/trajectories/calls.ts';
import { splitSamplerSuffix, splitSweAgentFooter } from '../../src/trajectories/text.ts';
import { parseWindowed } from '../../src/tools/windowed.ts';
import { describeShared } from '../helpers/shared.ts';
import { loadShared, TRAJ_REL } from './helpers.ts';

describe('sweAgentCommandCall', () => {
  it('maps a windowed edit block to one bash call carrying the whole block', () => {
    const action = 'edit 1475:1475\n        return int(round(x))  # round\nend_of_edit\n';
    expect(sweAgentCommandCall(action)).toEqual({
      tool: 'bash',
      args: { command: 'edit 1475:1475\n        return int(round(x))  # round\nend_of_edit' },
    });
  });
  it('keeps windowed navigation commands as bash and submit as submit', () => {
    expect(sweAgentCommandCall('goto 745\n')).toEqual({ tool: 'bash', args: { command: 'goto 745' } });
    expect(sweAgentCommandCall('submit\n')).toEqual({ tool: 'submit', args: {} });
    expect(sweAgentCommandCall('submit && ls').tool).toBe('bash');
  });
});

describe('callFromFunction', () => {
  it('maps OpenHands tools and keeps editor args as text', () => {
    expect(callFromFunction('execute_bash', { command: 'ls' })).toEqual({ tool: 'bash', args: { command: 'ls' } });
    expect(callFromFunction('str_replace_editor', { command: 'view', path: '/a', view_range: [1, 20] })).toEqual({
      tool: 'str_replace_editor',
      args: { command: 'view', path: '/a', view_range: '[1, 20]' },
    });
    expect(callFromFunction('str_replace_editor', { command: 'insert', path: '/a', insert_line: 3, new_str: 'x' })?.args.insert_line).toBe('3');
    expect(callFromFunction('finish', { message: 'done' })).toEqual({ tool: 'submit', args: {} });
    expect(callFromFunction('browser', { code: 'x' })).toBeUndefined();
    expect(callFromFunction('execute_bash', {})).toBeUndefined();
  });
  it('renders values as the XML form would', () => {
    expect(argText(['a', 2])).toBe('["a", 2]');
    expect(argText(null)).toBeUndefined();
    expect(argText(true)).toBe('true');
  });
});

describe('parseXmlCall', () => {
  it('parses the first call, strips values, and leaves the rest as thought', () => {
    const msg = 'Look first.\n\n<function=str_replace_editor>\n<parameter=command>view</parameter>\n<parameter=path>\n/testbed/a.py\n</parameter>\n</function>';
    const c = parseXmlCall(msg)!;
    expect(c.name).toBe('str_replace_editor');
    expect(c.params).toEqual({ command: 'view', path: '/testbed/a.py' });
    expect(c.thought).toBe('Look first.');
    expect(c.block.startsWith('<function=str_replace_editor>')).toBe(true);
  });
  it('closes a call cut at the stop word', () => {
    expect(parseXmlCall('x <function=bash>\n<parameter=command>ls</parameter>\n')?.params.command).toBe('ls');
    expect(parseXmlCall('no call here')).toBeUndefined();
  });
});

describe('lastFencedBlock', () => {
  it('takes the last top-level block, as SWE-agent does', () => {
    const msg = 'Thought with code:\n```python\nx = 1\n```\nnow run\n```\npython x.py\n```\n';
    expect(lastFencedBlock(msg)).toEqual({ action: 'python x.py\n', thought: 'Thought with code:\n```python\nx = 1\n```\nnow run\n' });
    expect(lastFencedBlock('no block')).toBeUndefined();
  });
});

describe('text helpers', () => {
  it('cuts the SWE-agent state footer and reads the cwd', () => {
    const f = splitSweAgentFooter('344\n\n(Open file: /r/a.py)\n(Current directory: /r)\nbash-$');
    expect(f).toEqual({ text: '344\n', openFile: '/r/a.py', cwd: '/r' });
    expect(splitSweAgentFooter('Your command ran successfully and did not produce any output.\n(Open file: n/a)\n(Current directory: /r)\nbash-$').text).toBe('');
  });
  it('splits the sampler suffix only after a SWE-bench id', () => {
    expect(splitSamplerSuffix('python__mypy-15976_0')).toEqual({ instanceId: 'python__mypy-15976', sample: 0 });
    expect(splitSamplerSuffix('django__django-11099')).toEqual({ instanceId: 'django__django-11099' });
  });
});

describeShared('SWE-agent 1.x windowed edits in a recorded run', TRAJ_REL, () => {
  it('edit SEARCH REPLACE and insert TEXT become bash calls the windowed tools take, with their arguments', async () => {
    const [t] = await loadShared('swe-agent/sweagent-demo_function_calling_replace/marshmallow-code__marshmallow-1867.traj');
    const windowed = t!.steps.map((s) => (s.action.call?.tool === 'bash' ? parseWindowed(s.action.call.args.command!) : undefined));
    const insert = windowed.find((w) => w?.name === 'insert');
    expect(insert?.args).toHaveLength(1);
    expect(insert?.args[0]).toMatch(/^from marshmallow\.fields import TimeDelta\n/);
    const edits = windowed.filter((w) => w?.name === 'edit');
    expect(edits).toHaveLength(2);
    expect(edits[1]!.args).toEqual([
      'return int(value.total_seconds() / base_unit.total_seconds())',
      '# round to nearest int\n        return int(round(value.total_seconds() / base_unit.total_seconds()))',
    ]);
  });
});
