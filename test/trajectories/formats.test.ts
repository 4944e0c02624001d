// Every shared real trajectory parses, with exact step counts and spot checks of first/last actions and calls.
import { describe, expect, it } from 'vitest';
import { TRAJECTORY_VERSION, type Trajectory } from '../../src/trajectories/types.ts';
import { missingShared } from '../helpers/shared.ts';
import { loadShared, TRAJ_REL } from './helpers.ts';

const noTrajectories = missingShared('trajectory formats on the real files', TRAJ_REL);

const first = (t: Trajectory) => t.steps[0]!;
const last = (t: Trajectory) => t.steps[t.steps.length - 1]!;

describe.skipIf(noTrajectories)('swe-agent', () => {
  it('parses the windowed-editor demo (14 steps) with edit blocks as single bash calls', async () => {
    const [t] = await loadShared('swe-agent/sweagent-demo_default/marshmallow-code__marshmallow-1867.traj');
    expect(t!.format).toBe('swe-agent');
    expect(t!.instanceId).toBe('marshmallow-code__marshmallow-1867');
    expect(t!.steps).toHaveLength(14);
    expect(first(t!).action).toEqual({ raw: 'ls -F\n', call: { tool: 'bash', args: { command: 'ls -F' } } });
    const edit = t!.steps[4]!;
    expect(edit.action.call?.tool).toBe('bash');
    expect(edit.action.call?.args.command).toMatch(/^edit 1:1\nfrom marshmallow\.fields import TimeDelta\n[\s\S]*\nend_of_edit$/);
    expect(last(t!).action.call).toEqual({ tool: 'submit', args: {} });
    expect(t!.submission).toContain('diff --git a/src/marshmallow/fields.py');
    expect(t!.meta).toMatchObject({ shell: 'session', repoRoot: '/marshmallow-code__marshmallow', exitStatus: 'submitted' });
    expect(t!.problemStatement).toMatch(/^TimeDelta serialization precision/);
    expect(t!.resolved).toBeUndefined();
  });

  it('parses the XML <command> variant (11 steps)', async () => {
    const [t] = await loadShared('swe-agent/sweagent-demo_xml_sys-env_window100/marshmallow-code__marshmallow-1867.traj');
    expect(t!.steps).toHaveLength(11);
    expect(first(t!).action.call).toEqual({ tool: 'bash', args: { command: 'create reproduce.py' } });
    expect(first(t!).thought).toMatch(/^Let's first start by reproducing/);
    expect(t!.meta.actionFormat).toBe('xml_thought_action');
  });

  it('parses the function-calling variant (11 steps), keeping the tool call in raw', async () => {
    const [t] = await loadShared('swe-agent/sweagent-demo_function_calling_replace/marshmallow-code__marshmallow-1867.traj');
    expect(t!.steps).toHaveLength(11);
    expect(JSON.parse(first(t!).action.raw)).toEqual({ name: 'create', arguments: { filename: 'reproduce.py' } });
    expect(first(t!).action.call).toEqual({ tool: 'bash', args: { command: 'create reproduce.py' } });
    const replace = t!.steps[6]!;
    expect(JSON.parse(replace.action.raw).name).toBe('edit');
    expect(replace.action.call?.args.command).toMatch(/^edit 'return int\(value\.total_seconds/);
    expect(t!.steps[2]!.action.call).toEqual({ tool: 'bash', args: { command: 'python reproduce.py' } });
    expect(last(t!).action.call?.tool).toBe('submit');
    expect(t!.meta).toMatchObject({ repoRoot: '/testbed', model: 'gpt-4o', actionFormat: 'function_calling' });
  });

  it('parses the gpt-4 runs (12 steps each) and skips demonstrations in history', async () => {
    const [p] = await loadShared('swe-agent/sweagent-gpt4_dev-easy_testdata/pydicom__pydicom-1458.traj');
    expect(p!.steps).toHaveLength(12);
    expect(first(p!).action.call?.args.command).toBe('create reproduce_bug.py');
    expect(p!.problemStatement).toMatch(/^Pixel Representation attribute should be optional/);
    expect(p!.meta.repoRoot).toBe('/pydicom__pydicom');
    const [q] = await loadShared('swe-agent/sweagent-gpt4-0125_lite-run2/pytest-dev__pytest-11143.traj');
    expect(q!.steps).toHaveLength(12);
    expect(q!.steps[6]!.action.call).toEqual({ tool: 'bash', args: { command: 'goto 745' } });
    expect(q!.meta.modelStats).toMatchObject({ api_calls: 12 });
  });
});

describe.skipIf(noTrajectories)('mini-swe-agent', () => {
  it('parses django-11099 (21 steps) with the harness report giving resolved', async () => {
    const [t] = await loadShared('mini-swe-agent/mini-swe-agent-v1.15.0_gemini-3-pro-preview_verified/django__django-11099.traj.json');
    expect(t!.steps).toHaveLength(21);
    expect(first(t!).action).toEqual({ raw: 'ls -R | grep -i validators', call: { tool: 'bash', args: { command: 'ls -R | grep -i validators' } } });
    expect(first(t!).thought).toMatch(/^I need to locate/);
    expect(first(t!).observation).toMatch(/^<returncode>0<\/returncode>/);
    expect(last(t!).action.call).toEqual({ tool: 'submit', args: {} });
    expect(last(t!).action.raw).toBe('echo COMPLETE_TASK_AND_SUBMIT_FINAL_OUTPUT && git add -A && git diff --cached');
    expect(t!.resolved).toBe(true);
    expect(t!.meta).toMatchObject({ shell: 'subshell', repoRoot: '/testbed', exitStatus: 'Submitted' });
  });
  it('parses pylint-6903 (16 steps)', async () => {
    const [t] = await loadShared('mini-swe-agent/mini-swe-agent-v1.15.0_gemini-3-pro-preview_verified/pylint-dev__pylint-6903.traj.json');
    expect(t!.steps).toHaveLength(16);
    expect(t!.instanceId).toBe('pylint-dev__pylint-6903');
    expect(t!.resolved).toBe(true);
    expect(t!.submission).toContain('pylint/lint/run.py');
  });
});

describe.skipIf(noTrajectories)('openhands-chat', () => {
  it('parses the SWE-Gym rows (21, 9, 11 steps), stripping the sampler suffix', async () => {
    const ts = await loadShared('openhands/swe-gym-sampled-gpt-4o/rows.json');
    expect(ts.map((t) => [t.instanceId, t.steps.length, t.source.index])).toEqual([
      ['python__mypy-15976', 21, 0],
      ['Project-MONAI__MONAI-5686', 9, 1],
      ['Project-MONAI__MONAI-6849', 11, 2],
    ]);
    const t = ts[0]!;
    expect(t.meta).toMatchObject({ sampleId: 'python__mypy-15976_0', sample: 0, repoRoot: '/workspace/python__mypy__1.6' });
    expect(first(t).action.call).toEqual({ tool: 'str_replace_editor', args: { command: 'view', path: '/workspace/python__mypy__1.6', view_range: '[0, -1]' } });
    expect(first(t).observation).toBe('ERROR:\nThe `view_range` parameter is not allowed when `path` points to a directory.');
    expect(t.steps[5]!.action.call).toEqual({ tool: 'bash', args: { command: 'python3 /workspace/python__mypy__1.6/reproduce_error.py' } });
    expect(last(t).action.call).toEqual({ tool: 'submit', args: {} });
    // The chat-only turns before `finish` fold into its thought.
    expect(last(t).thought).toMatch(/^The changes have successfully resolved the issue/);
    expect(t.resolved).toBe(true);
    expect(t.submission).toContain('mypy/plugins/attrs.py');
  });
  it('pairs parallel tool calls with their outputs by id', async () => {
    const [t] = await loadShared('openhands/swe-gym-sampled-gpt-4o/rows.json');
    const a = t!.steps[7]!;
    const b = t!.steps[8]!;
    expect(a.action.call?.args.path).toMatch(/attrs\.py$/);
    expect(a.observation).toContain('[1, 1115]');
    expect(b.action.call?.args.path).toMatch(/dataclasses\.py$/);
    expect(b.observation).toContain('[1, 1116]');
  });
});

describe.skipIf(noTrajectories)('openhands-events', () => {
  it('parses a bare event list (2 steps) with the native tool call', async () => {
    const [t] = await loadShared('openhands/event-stream/runtime-basic.json');
    expect(t!.instanceId).toBe('runtime-basic');
    expect(t!.steps).toHaveLength(2);
    expect(first(t!).action.call).toMatchObject({ tool: 'str_replace_editor', args: { command: 'create', path: '/workspace/game_2048.py' } });
    expect(first(t!).observation).toMatch(/^--- \/workspace\/game_2048\.py/);
    expect(last(t!).action.call?.tool).toBe('submit');
  });
  it('parses resolver output rows (4 and 22 steps); IPython cells carry no call', async () => {
    const ts = await loadShared('openhands/event-stream/resolver-output.jsonl');
    expect(ts.map((t) => [t.instanceId, t.steps.length])).toEqual([
      ['neubig__pr-viewer-5', 4],
      ['neubig__pr-viewer-1', 22],
    ]);
    const t = ts[0]!;
    expect(first(t).action).toEqual({ raw: 'touch LICENSE', call: { tool: 'bash', args: { command: 'touch LICENSE' } } });
    expect(t.steps[1]!.action.call).toBeUndefined();
    expect(t.steps[1]!.action.raw).toMatch(/^mit_license = /);
    expect(last(t).action.call?.tool).toBe('submit');
    expect(t.problemStatement).toBe('Add MIT license\nWe can license this repo under the MIT license.');
    expect(t.meta).toMatchObject({ repoRoot: '/workspace', success: true, unmappedActions: ['run_ipython'] });
    expect(t.submission).toContain('LICENSE');
  });
});

describe.skipIf(noTrajectories)('swe-smith', () => {
  it('parses the rows (15, 23, 18 steps) with inline XML calls', async () => {
    const ts = await loadShared('swe-smith/rows.json');
    expect(ts.map((t) => t.steps.length)).toEqual([15, 23, 18]);
    const t = ts[0]!;
    expect(t.instanceId).toBe('arrow-py__arrow.1d70d009.lm_rewrite__nuzjfyur');
    expect(first(t).action.call).toEqual({ tool: 'bash', args: { command: 'find /testbed -type f -name "*.py" | grep -v "__pycache__" | sort' } });
    expect(first(t).action.raw).toMatch(/^<function=bash>\n<parameter=command>find/);
    expect(t.steps[3]!.action.call).toEqual({ tool: 'str_replace_editor', args: { command: 'view', path: '/testbed/arrow/arrow.py', view_range: '[791, 808]' } });
    expect(last(t).action).toEqual({ raw: '<function=submit>\n</function>', call: { tool: 'submit', args: {} } });
    expect(t.resolved).toBe(true);
    expect(t.meta.rowId).toBe('arrow-py__arrow.1d70d009.lm_rewrite__nuzjfyur.l13ggwmx_1');
  });
  it('flags the patches that belong to other repositories', async () => {
    const ts = await loadShared('swe-smith/rows.json');
    for (const t of ts) expect(String(t.meta.warnings)).toMatch(/no step of the trajectory mentions/);
  });
});

describe.skipIf(noTrajectories)('nebius', () => {
  it('parses the rows (6, 14, 5 steps), cutting the state footer', async () => {
    const ts = await loadShared('nebius/rows.json');
    expect(ts.map((t) => [t.instanceId, t.steps.length])).toEqual([
      ['tomerfiliba__plumbum-366', 6],
      ['tempoCollaboration__OQuPy-74', 14],
      ['marshmallow-code__apispec-811', 5],
    ]);
    const t = ts[0]!;
    expect(t.meta).toMatchObject({ sampleId: 'tomerfiliba__plumbum-366_17', sample: 17, repoRoot: '/plumbum', model: 'swe-agent-llama-70b' });
    expect(first(t).action.call).toEqual({ tool: 'bash', args: { command: 'ls -F' } });
    expect(first(t).observation.endsWith('translations.py*\n')).toBe(true);
    expect(t.steps[3]!.action.call?.args.command).toBe('edit 5:5\nimport plumbum.cli as cli\nend_of_edit');
    expect(last(t).action.call?.tool).toBe('submit');
    expect(t.resolved).toBe(true);
  });
});

describe.skipIf(noTrajectories)('every shared file', () => {
  it('carries the version, a step list where each step has raw text, and no step without thought or call reason', async () => {
    const { loadTrajectories } = await import('../../src/trajectories/load.ts');
    const { TRAJ_DIR } = await import('./helpers.ts');
    const r = await loadTrajectories([TRAJ_DIR]);
    expect(r.errors).toEqual([]);
    expect(r.trajectories).toHaveLength(19);
    expect(r.skipped.map((f) => f.split('/').pop()).sort()).toEqual([
      'all_preds.jsonl',
      'django__django-11099.report.json',
      'preds.jsonl',
      'pylint-dev__pylint-6903.report.json',
    ]);
    for (const t of r.trajectories) {
      expect(t.version).toBe(TRAJECTORY_VERSION);
      expect(t.steps.length).toBeGreaterThan(0);
      for (const s of t.steps) expect(s.action.raw.length).toBeGreaterThan(0);
      expect(last(t).action.call?.tool).toBe('submit');
    }
  });
});
