import { beforeAll, describe, expect, it } from 'vitest';
import { parseCall } from '../../src/srl/action-xml.ts';
import { scoreResponse } from '../../src/srl/reward.ts';
import { buildExamples, MIN_ISSUE_CHARS, promptChars, type BuildOptions } from '../../src/srl/steps.ts';
import { loadTrajectories } from '../../src/trajectories/load.ts';
import type { Trajectory } from '../../src/trajectories/types.ts';
import { describeShared } from '../helpers/shared.ts';
import { TRAJ_DIR, TRAJ_REL } from '../trajectories/helpers.ts';

let all: Trajectory[];
const base: Omit<BuildOptions, 'issue'> = { repo: 'o/r', contextSteps: 2, maxObservationChars: 4000, dropSubmit: false };
const opts = (t: Trajectory, more: Partial<BuildOptions> = {}): BuildOptions => ({ ...base, issue: t.problemStatement ?? 'the issue', ...more });
const user = (p: { prompt: Array<{ content: string }> }): string => p.prompt[1]!.content;
const shownSteps = (text: string): number[] => [...text.matchAll(/^## Step (\d+)$/gm)].map((m) => Number(m[1]));
const find = (format: string, instance?: string): Trajectory =>
  all.find((t) => t.format === format && (instance === undefined || t.instanceId === instance))!;

function synthetic(steps: number, more: Partial<Trajectory> = {}): Trajectory {
  return {
    version: 1,
    format: 'swe-srl',
    instanceId: 'o__r-1',
    source: { file: 'x.json' },
    problemStatement: 'ISSUE '.repeat(100),
    steps: Array.from({ length: steps }, (_, i) => ({
      thought: `t${i}`,
      action: { raw: `echo ${i}`, call: { tool: 'bash' as const, args: { command: `echo ${i}` } } },
      observation: `out ${i}\n`.repeat(50),
    })),
    meta: {},
    ...more,
  };
}

describeShared('buildExamples on every shared trajectory', TRAJ_REL, () => {
  beforeAll(async () => {
    const r = await loadTrajectories([TRAJ_DIR]);
    expect(r.errors).toEqual([]);
    all = r.trajectories;
  });

  it('makes one example per step with a call, skips the rest with a reason, targets round-trip and score 1', () => {
    expect(all.length).toBeGreaterThanOrEqual(19);
    for (const t of all) {
      const r = buildExamples(t, opts(t));
      const calls = t.steps.filter((s) => s.action.call).length;
      expect(r.examples, `${t.format} ${t.instanceId}`).toHaveLength(calls);
      expect(r.skipped.map((s) => s.reason)).toEqual(Array(t.steps.length - calls).fill('no_call'));
      expect(new Set(r.examples.map((e) => e.id)).size).toBe(calls);
      for (const e of r.examples) {
        const parsed = parseCall(e.target);
        expect(parsed.ok, e.id).toBe(true);
        const scored = scoreResponse(`<think>x</think>\n${e.target}`, e.target);
        expect(scored.reward, e.id).toBe(1);
        expect(e.prompt.map((m) => m.role)).toEqual(['system', 'user']);
        expect(e.prompt[0]!.content).toContain('<function=bash>');
        expect(e.prompt[0]!.content).toContain('<think>');
        expect(user(e)).toContain(`Give step ${e.step}:`);
      }
    }
  });
  it('shows exactly the K previous steps, and says how many earlier ones are omitted', () => {
    const t = find('swe-smith');
    const r = buildExamples(t, opts(t));
    for (const e of r.examples) {
      const expected = [e.step - 2, e.step - 1].filter((n) => n >= 1);
      expect(shownSteps(user(e))).toEqual(expected);
      expect(e.shownSteps).toBe(expected.length);
      if (e.step > 3) expect(user(e)).toContain(`(earlier steps omitted: ${e.step - 3})`);
      else expect(user(e)).not.toContain('earlier steps omitted');
    }
    expect(user(r.examples[0]!)).toContain('(none: this is the first step)');
  });
  it("'all' and 0 context steps", () => {
    const t = find('openhands-chat');
    const allCtx = buildExamples(t, opts(t, { contextSteps: 'all' }));
    for (const e of allCtx.examples) expect(shownSteps(user(e))).toEqual(Array.from({ length: e.step - 1 }, (_, i) => i + 1));
    const none = buildExamples(t, opts(t, { contextSteps: 0 }));
    for (const e of none.examples) expect(shownSteps(user(e))).toEqual([]);
  });
  it('cuts long observations head+tail with a note, within the budget', () => {
    const t = find('openhands-chat', 'Project-MONAI__MONAI-5686');
    const long = t.steps.findIndex((s) => s.observation.length > 10000);
    expect(long).toBeGreaterThanOrEqual(0);
    const r = buildExamples(t, opts(t, { maxObservationChars: 1000 }));
    const next = r.examples.find((e) => e.step === long + 2)!;
    const text = user(next);
    const cuts = [...text.matchAll(/\[\.\.\. (\d+) characters cut \.\.\.\]/g)].map((m) => Number(m[1]));
    expect(Math.max(...cuts)).toBeGreaterThan(t.steps[long]!.observation.length - 1000);
    const tail = t.steps[long]!.observation.trimEnd().split('\n').at(-1)!;
    expect(text).toContain(tail);
    expect(next.observationCharsCut).toBeGreaterThan(0);
  });
  it('maps the recorded repository root to /testbed in targets and prompts, unless told not to', () => {
    const t = find('swe-agent', 'pydicom__pydicom-1458');
    expect(t.meta.repoRoot).toBe('/pydicom__pydicom');
    const raw = JSON.stringify(t.steps);
    expect(raw).toContain('/pydicom__pydicom');
    const mapped = buildExamples(t, opts(t));
    const text = JSON.stringify(mapped.examples.map((e) => [e.target, user(e)]));
    expect(text).not.toMatch(/(?<![\w.~/-])\/pydicom__pydicom(?![\w.-])/);
    expect(text).toContain('/testbed');
    const kept = buildExamples(t, opts(t, { mapPaths: false }));
    expect(JSON.stringify(kept.examples.map((e) => user(e)))).toContain('/pydicom__pydicom');
    const oh = find('openhands-chat', 'python__mypy-15976');
    const targets = buildExamples(oh, opts(oh)).examples.map((e) => e.target).join('\n');
    expect(targets).not.toContain('/workspace/python__mypy__1.6');
    expect(targets).toContain('/testbed/mypy');
  });
  it('drops submit steps on request, keeping them as context', () => {
    const t = find('swe-smith');
    const submits = t.steps.filter((s) => s.action.call?.tool === 'submit').length;
    expect(submits).toBe(2);
    const r = buildExamples(t, opts(t, { dropSubmit: true }));
    expect(r.examples.every((e) => e.tool !== 'submit')).toBe(true);
    expect(r.examples).toHaveLength(t.steps.length - submits);
    expect(r.skipped.filter((s) => s.reason === 'submit')).toHaveLength(submits);
    const last = r.examples.at(-1)!;
    const firstSubmit = t.steps.findIndex((s) => s.action.call?.tool === 'submit') + 1;
    if (last.step > firstSubmit) expect(user(last)).toContain('<function=submit>');
  });
  it('shows steps without a call as raw text', () => {
    const t = find('openhands-events', 'neubig__pr-viewer-1');
    const r = buildExamples(t, opts(t));
    const after = r.examples.find((e) => e.step > 1 && !t.steps[e.step - 2]!.action.call);
    expect(after).toBeDefined();
    expect(user(after!)).toContain('Action (not a tool call; shown as recorded):');
  });
  it('gives stable ids that change with the trajectory content', () => {
    const t = find('nebius');
    const a = buildExamples(t, opts(t)).examples.map((e) => e.id);
    const b = buildExamples({ ...t, source: { file: '/elsewhere/x.json', index: 9 } }, opts(t)).examples.map((e) => e.id);
    expect(b).toEqual(a);
    expect(a[0]).toMatch(new RegExp(`^${t.instanceId}/[0-9a-f]{12}/1$`));
    const changed = { ...t, steps: t.steps.map((s, i) => (i === 0 ? { ...s, observation: `${s.observation}!` } : s)) };
    expect(buildExamples(changed, opts(t)).examples[0]!.id).not.toBe(a[0]);
  });
});

describe('the prompt budget', () => {
  it('drops the oldest shown steps first and says so', () => {
    const t = synthetic(6);
    const full = buildExamples(t, opts(t, { contextSteps: 'all' })).examples[5]!;
    const oneStepLess = promptChars(full.prompt) - 100;
    const r = buildExamples(t, opts(t, { contextSteps: 'all', maxPromptChars: oneStepLess }));
    const e = r.examples[5]!;
    expect(promptChars(e.prompt)).toBeLessThanOrEqual(oneStepLess);
    expect(shownSteps(user(e))).toEqual([2, 3, 4, 5]);
    expect(user(e)).toContain('(earlier steps omitted: 1, 1 of them to fit the prompt length)');
    expect(e.issueCharsCut).toBe(0);
  });
  it('cuts the issue head+tail as a last resort, and never below the minimum', () => {
    const t = synthetic(3);
    const zero = buildExamples(t, opts(t, { contextSteps: 0 })).examples[2]!;
    const budget = promptChars(zero.prompt) - 300;
    const e = buildExamples(t, opts(t, { maxPromptChars: budget })).examples[2]!;
    expect(shownSteps(user(e))).toEqual([]);
    expect(e.issueCharsCut).toBeGreaterThan(0);
    expect(user(e)).toContain('characters cut');
    expect(user(e)).toContain('the issue was shortened');
    expect(promptChars(e.prompt)).toBeLessThanOrEqual(budget);
    const tiny = buildExamples(t, opts(t, { maxPromptChars: promptChars(zero.prompt) - t.problemStatement!.length }));
    expect(tiny.examples).toEqual([]);
    expect(tiny.skipped.map((s) => s.reason)).toEqual(['prompt_too_long', 'prompt_too_long', 'prompt_too_long']);
    expect(MIN_ISSUE_CHARS).toBeGreaterThan(0);
  });
  it('rejects bad options naming the field', () => {
    const t = synthetic(1);
    expect(() => buildExamples(t, opts(t, { contextSteps: -1 }))).toThrow(/contextSteps/);
    expect(() => buildExamples(t, opts(t, { maxObservationChars: 10 }))).toThrow(/maxObservationChars/);
  });
  it('marks a call that cannot be written in the action format as unrenderable', () => {
    const t = synthetic(2);
    t.steps[0]!.action.call = { tool: 'bash', args: { command: 'echo </parameter>' } };
    const r = buildExamples(t, opts(t));
    expect(r.skipped).toEqual([expect.objectContaining({ step: 1, reason: 'unrenderable' })]);
    expect(user(r.examples[0]!)).toContain('Action (not a tool call; shown as recorded):\necho 0');
  });
});
