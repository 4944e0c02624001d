// Shapes the shared files do not show: format-error turns, history-only SWE-agent files, think calls, pair histories.
import { describe, expect, it } from 'vitest';
import { miniSweAgentFormat } from '../../src/trajectories/formats/mini-swe-agent.ts';
import { openhandsChatFormat } from '../../src/trajectories/formats/openhands-chat.ts';
import { openhandsEventsFormat } from '../../src/trajectories/formats/openhands-events.ts';
import { sweAgentFormat } from '../../src/trajectories/formats/swe-agent.ts';

describe('mini-swe-agent format errors', () => {
  it('folds a turn without exactly one bash block into the next thought and drops its error message', () => {
    const json = {
      trajectory_format: 'mini-swe-agent-1',
      instance_id: 'a__b-1',
      info: { exit_status: 'Submitted', submission: '' },
      messages: [
        { role: 'system', content: 's' },
        { role: 'user', content: '<pr_description>\nConsider the following PR description:\nBug X\n</pr_description>' },
        { role: 'assistant', content: 'THOUGHT: two at once\n```bash\nls\n```\n```bash\npwd\n```' },
        { role: 'user', content: 'Please always provide EXACTLY ONE action' },
        { role: 'assistant', content: 'THOUGHT: one now\n\n```bash\nls\n```' },
        { role: 'user', content: '<returncode>0</returncode>\n<output>\na\n</output>' },
      ],
    };
    const r = miniSweAgentFormat.parse({ json, file: 'x.traj.json' });
    expect(r.errors).toEqual([]);
    const t = r.trajectories[0]!;
    expect(t.steps).toHaveLength(1);
    // The rejected turn is kept whole (its blocks never ran), then the accepted turn's thought.
    expect(t.steps[0]!.thought).toBe('THOUGHT: two at once\n```bash\nls\n```\n```bash\npwd\n```\n\none now');
    expect(t.steps[0]!.observation).toContain('<output>\na\n</output>');
    expect(t.problemStatement).toBe('Bug X');
    expect(t.meta.foldedTurns).toBe(1);
  });
});

describe('swe-agent without `trajectory`', () => {
  it('builds steps from history turns and cuts the state footer', () => {
    const json = {
      info: { exit_status: 'submitted', submission: 'diff --git a/x.py b/x.py\n' },
      history: [
        { role: 'system', content: 'sys' },
        { role: 'user', content: 'ISSUE:\nBroken x\n\nINSTRUCTIONS:\n...' },
        { role: 'assistant', content: 'look\n```\nopen x.py\n```', thought: 'look\n', action: 'open x.py\n' },
        { role: 'user', content: '[File: /r/x.py]\n1:a\n(Open file: /r/x.py)\n(Current directory: /r)\nbash-$' },
        { role: 'assistant', content: 'done\n```\nsubmit\n```', thought: 'done\n', action: 'submit\n' },
      ],
    };
    const r = sweAgentFormat.parse({ json, file: '/runs/a__b-2.traj' });
    const t = r.trajectories[0]!;
    expect(t.instanceId).toBe('a__b-2');
    expect(t.steps.map((s) => s.action.call)).toEqual([
      { tool: 'bash', args: { command: 'open x.py' } },
      { tool: 'submit', args: {} },
    ]);
    expect(t.steps[0]!.observation).toBe('[File: /r/x.py]\n1:a');
    expect(t.meta.repoRoot).toBe('/r');
    expect(t.problemStatement).toBe('Broken x');
  });
  it('rejects a file with neither trajectory nor history, naming the field', () => {
    const r = sweAgentFormat.parse({ json: { info: {} }, file: 'y.traj' });
    expect(r.errors[0]!.field).toBe('trajectory');
  });
});

describe('openhands chat extras', () => {
  it('folds think calls and ignores their output', () => {
    const json = {
      instance_id: 'o__p-3_2',
      messages: [
        { role: 'user', content: 'task' },
        { role: 'assistant', content: 'hmm', tool_calls: [{ id: 't1', function: { name: 'think', arguments: '{"thought":"plan"}' } }] },
        { role: 'tool', tool_call_id: 't1', content: 'Your thought has been logged.' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'c1', function: { name: 'execute_bash', arguments: '{"command":"ls","is_input":false}' } }] },
        { role: 'tool', tool_call_id: 'c1', content: 'OBSERVATION:\na b' },
      ],
    };
    const t = openhandsChatFormat.parse({ json, file: 'r.json' }).trajectories[0]!;
    expect(t.instanceId).toBe('o__p-3');
    expect(t.steps).toHaveLength(1);
    expect(t.steps[0]).toEqual({
      thought: 'hmm\n\nplan',
      action: { raw: '{"name":"execute_bash","arguments":{"command":"ls","is_input":false}}', call: { tool: 'bash', args: { command: 'ls', is_input: 'false' } } },
      observation: 'a b',
    });
  });
});

describe('openhands events extras', () => {
  it('reads [action, observation] pair histories and cause links', () => {
    const json = {
      instance_id: 'q__r-4',
      history: [
        [{ id: 1, source: 'agent', action: 'run', args: { command: 'ls', thought: 'see' } }, { id: 2, cause: 1, observation: 'run', content: 'x' }],
        [{ id: 3, source: 'agent', action: 'read', args: { path: '/w/a.py', start: 5, end: 9 } }, { id: 4, cause: 3, observation: 'read', content: 'code' }],
        [{ id: 5, source: 'agent', action: 'finish', args: { thought: 'ok' } }, { id: 6, observation: 'agent_state_changed', content: '' }],
      ],
      test_result: { git_patch: 'diff --git a/a.py b/a.py\n', report: { resolved: false } },
    };
    const t = openhandsEventsFormat.parse({ json, file: 'out.jsonl' }).trajectories[0]!;
    expect(t.steps.map((s) => [s.action.call, s.observation])).toEqual([
      [{ tool: 'bash', args: { command: 'ls' } }, 'x'],
      [{ tool: 'str_replace_editor', args: { command: 'view', path: '/w/a.py', view_range: '[5, 9]' } }, 'code'],
      [{ tool: 'submit', args: {} }, ''],
    ]);
    expect(t.resolved).toBe(false);
  });
});
