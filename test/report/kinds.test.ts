import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectKind, loadRuns, runNames } from '../../src/report/kinds/index.ts';
import { evalModel, repoOf, type EvalSummary } from '../../src/report/kinds/eval.ts';
import { evaluationMode, evaluationModel } from '../../src/report/kinds/evaluation.ts';
import { srlModel } from '../../src/report/kinds/srl.ts';
import { countLabels, toolOfCallText } from '../../src/report/kinds/tool-mix.ts';
import { lastOf, trainingModel } from '../../src/report/kinds/training.ts';
import { probe } from '../../src/report/kinds/probe.ts';
import { tempDir } from '../helpers/tmp.ts';

const FIX = join(import.meta.dirname, '..', 'fixtures', 'report');

describe('pure models', () => {
  it('takes the repository from the instance id', () => {
    expect(repoOf('django__django-11099')).toBe('django/django');
    expect(repoOf('swe-srl__textkit-1')).toBe('swe-srl/textkit');
    expect(repoOf('plain-7')).toBe('plain');
  });

  it('gives each eval instance one verdict, its error class and its repository', () => {
    const s = {
      schema_version: 2,
      total_instances: 3,
      resolved_instances: 1,
      submitted_ids: ['a__x-1', 'a__x-2', 'b__y-1'],
      incomplete_ids: [],
      resolved_ids: ['a__x-1'],
      unresolved_ids: [],
      empty_patch_ids: [],
      error_ids: ['a__x-2', 'b__y-1'],
      failure_reasons: { 'b__y-1': 'timeout' },
      swe_srl: { resolve_rate: 1 / 3, infra_failures: { timeout: 1, sandbox_error: 0 }, rejected_ids: [] },
    } as EvalSummary;
    const m = evalModel(s, { errorClass: { 'a__x-2': 'patch_apply_failed' }, links: () => [] });
    expect(m.instances.map((i) => [i.id, i.verdict, i.errorClass])).toEqual([
      ['a__x-1', 'resolved', ''],
      ['a__x-2', 'error', 'patch_apply_failed'],
      ['b__y-1', 'error', 'timeout'],
    ]);
    expect(m.perRepo).toEqual([{ repo: 'a/x', resolved: 1, total: 2 }, { repo: 'b/y', resolved: 0, total: 1 }]);
    expect(m.infraFailures).toEqual({ timeout: 1 });
  });

  it('lays metrics out by step, nulls where a step lacks a field, merging lines of one step', () => {
    const m = trainingModel([{ step: 0, val_reward: 0.1 }, { step: 1, mode: 'srl', reward_mean: 0.2 }, { step: 2, reward_mean: 0.4, val_reward: 0.5, skipped: 'x' }]);
    expect(m.steps).toEqual([0, 1, 2]);
    expect(m.metrics.val_reward).toEqual([0.1, null, 0.5]);
    expect(m.metrics.reward_mean).toEqual([null, 0.2, 0.4]);
    expect(m.metrics.kl).toBeUndefined();
    expect([m.mode, m.skipped]).toEqual(['srl', 1]);
    expect(lastOf(m.metrics.val_reward)).toBe(0.5);
    expect(lastOf([null])).toBeNull();
  });

  it('labels calls by tool and editor subcommand', () => {
    expect(toolOfCallText('<function=bash>\n<parameter=command>ls</parameter>\n</function>')).toBe('bash');
    expect(toolOfCallText('<function=str_replace_editor>\n<parameter=command>view</parameter>')).toBe('str_replace_editor:view');
    expect(toolOfCallText('<function=submit>\n</function>')).toBe('submit');
    expect(toolOfCallText('ls -la')).toBe('other');
    expect(countLabels(['b', 'a', 'b'])).toEqual({ b: 2, a: 1 });
  });

  it('measures SRL prompts over all messages', () => {
    const m = srlModel([{ id: '1', instance_id: 'i', prompt: [{ role: 'system', content: 'ab' }, { role: 'user', content: 'c' }], target: '<function=submit>' }]);
    expect([m.promptChars, m.targetChars, m.toolMix, m.splits]).toEqual([[3], [17], { submit: 1 }, { train: 1 }]);
  });

  it('tells the evaluation mode from the files, and reads rows of any mode', () => {
    expect(evaluationMode({ entries: new Set(['trajectories', 'summary.json']), summary: {} })).toBe('agent');
    expect(evaluationMode({ entries: new Set(['rows.jsonl']), summary: { responses: 3 } })).toBe('oracle');
    expect(evaluationMode({ entries: new Set(['rows.jsonl']), summary: { mode: 'agentless' } })).toBe('agentless');
    expect(evaluationMode({ entries: new Set(['rows.jsonl', 'generated.jsonl']), summary: {} })).toBe('agentless');
    const m = evaluationModel({ mode: 'agentless', summary: { resolve_rate: 0.5, note: 'x' }, rows: [{ instance_id: 'a', resolved: true }, { id: 'b', status: 'edit_failed', reward: 0 }, { instance_id: 'c', verdict: 'infra_failure:timeout', resolved: false }] });
    expect(m.numbers).toEqual({ resolve_rate: 0.5 });
    expect(m.rows).toEqual([{ id: 'a', status: 'resolved', reward: null }, { id: 'b', status: 'edit_failed', reward: 0 }, { id: 'c', status: 'infra_failure:timeout', reward: null }]);
  });

  it('names runs by folder, with the parent when two clash', () => {
    expect(runNames(['/r/a/train', '/r/b/train', '/r/eval'])).toEqual(['a/train', 'b/train', 'eval']);
    expect(runNames(['/r/x', '/r/x'])).toEqual(['r/x', 'r/x (2)']);
  });
});

describe('loading real run folders', () => {
  it('detects and loads each kind', async () => {
    const runs = await loadRuns(['eval-gold', 'eval-empty', 'replay', 'train-srl', 'train-sft'].map((d) => join(FIX, d)));
    expect(runs.map((r) => r.body.kind)).toEqual(['eval', 'eval', 'replay', 'training', 'training']);
    const gold = runs[0]!.body;
    if (gold.kind !== 'eval') throw new Error('kind');
    expect(gold.instances[0]).toMatchObject({ id: 'swe-srl__textkit-1', verdict: 'resolved' });
    expect(gold.instances[0]!.links.map((l) => l.label)).toEqual(['report.json', 'test_output.txt', 'run_instance.log']);
    const empty = runs[1]!.body;
    expect(empty.kind === 'eval' && empty.instances.map((i) => i.verdict)).toEqual(['empty_patch', 'empty_patch']);
    const replay = runs[2]!.body;
    expect(replay.kind === 'replay' && replay.trajectories.every((t) => t.similarity.length === t.stepsTotal)).toBe(true);
    expect(runs[4]!.body.kind === 'training' && runs[4]!.body.mode).toBe('sft');
    expect(runs[0]!.thoughts).toHaveProperty('none');
  });

  it('loads trajectories with their thoughts, and an SRL steps file', async () => {
    const [t] = await loadRuns([join(FIX, '..', 'trajectories')]);
    expect(t!.body.kind).toBe('trajectories');
    expect('stats' in t!.thoughts && t!.thoughts.stats.withThought).toBeGreaterThan(0);
    const dir = await tempDir('report-srl');
    const row = { id: 'x/1', instance_id: 'x', prompt: [{ role: 'user', content: 'fix <it>' }], target: '<function=bash>\n<parameter=command>ls</parameter>\n</function>', thought: 'First look, then verify.' };
    await writeFile(join(dir, 'steps.jsonl'), `${JSON.stringify(row)}\n`);
    await writeFile(join(dir, 'steps.summary.json'), '{}');
    const [fromDir] = await loadRuns([dir]);
    const [fromFile] = await loadRuns([join(dir, 'steps.jsonl')]);
    expect(fromDir!.path).toBe(fromFile!.path);
    expect('stats' in fromDir!.thoughts && fromDir!.thoughts.stats.share).toEqual({ plan: 1, revise: 0, verify: 1 });
  });

  it('reads an agentless run: verdicts as status, the repair replies as reasoning', async () => {
    const dir = await tempDir('report-agentless');
    const row = { version: 1, instance_id: 'o__r-1', verdict: 'resolved', resolved: true, infra: false, samples: [{ reply: '<think>Wait, verify first.</think><solution></solution>', status: 'ok' }, { reply: 'no think', status: 'missing_think' }] };
    await writeFile(join(dir, 'rows.jsonl'), `${JSON.stringify(row)}\n`);
    await writeFile(join(dir, 'generated.jsonl'), '');
    await writeFile(join(dir, 'summary.json'), JSON.stringify({ version: 1, tasks: 1, resolved: 1, resolve_rate: 1, localization: { recall: 1 } }));
    const [r] = await loadRuns([dir]);
    expect(r!.body).toMatchObject({ kind: 'evaluation', mode: 'agentless', rows: [{ id: 'o__r-1', status: 'resolved' }] });
    expect('stats' in r!.thoughts && [r!.thoughts.stats.replies, r!.thoughts.stats.share]).toEqual([2, { plan: 1, revise: 1, verify: 1 }]);
  });

  it('names the folder and the expected files for an unknown or empty folder, and an empty run', async () => {
    const dir = await tempDir('report-bad');
    await expect(loadRuns([dir])).rejects.toThrow(/report_empty_run: the run folder is empty.*file .*report-bad.*metrics\.jsonl/);
    await writeFile(join(dir, 'notes.txt'), 'x');
    expect(() => detectKind(probe(dir))).toThrow(/report_unknown_run.*found: notes\.txt.*Expected one of: eval: summary\.json/);
    const train = join(dir, 'train');
    await mkdir(train);
    await writeFile(join(train, 'metrics.jsonl'), '\n');
    await expect(loadRuns([train])).rejects.toThrow(/report_empty_run: metrics\.jsonl has no steps/);
    await writeFile(join(train, 'metrics.jsonl'), '{"step": "one"}\n');
    await expect(loadRuns([train])).rejects.toThrow(/report_bad_file: line 1: .*field step/);
    await expect(loadRuns([join(dir, 'nope')])).rejects.toThrow(/report_no_run/);
  });
});
