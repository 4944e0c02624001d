// Run folders as the agents write them: trajectories beside predictions, patches, reports, logs and configs. The
// companions are skipped with a note, the trajectories load, and the commands exit 0.
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { companionByName, companionDir } from '../../src/trajectories/companions.ts';
import { loadTrajectories } from '../../src/trajectories/load.ts';
import { capture } from '../helpers/console.ts';
import { describeShared } from '../helpers/shared.ts';
import { tempDir } from '../helpers/tmp.ts';
import { shared, TRAJ_REL } from './helpers.ts';

async function put(root: string, rel: string, content: string | { copy: string }): Promise<void> {
  const p = join(root, rel);
  await mkdir(dirname(p), { recursive: true });
  if (typeof content === 'string') await writeFile(p, content);
  else await copyFile(shared(content.copy), p);
}

const PATCH = 'diff --git a/x.py b/x.py\n--- a/x.py\n+++ b/x.py\n@@ -1 +1 @@\n-a\n+b\n';
const ID = 'marshmallow-code__marshmallow-1867';
const PRED = JSON.stringify({ model_name_or_path: 'gpt-4o', instance_id: ID, model_patch: PATCH });

// SWE-agent 1.x: one folder per instance under the run, the batch files at the top.
async function sweAgentRun(root: string): Promise<void> {
  await put(root, `${ID}/${ID}.traj`, { copy: `swe-agent/sweagent-demo_function_calling_replace/${ID}.traj` });
  await put(root, `${ID}/${ID}.pred`, PRED);
  await put(root, `${ID}/${ID}.patch`, PATCH);
  await put(root, `${ID}/${ID}.config.yaml`, 'agent:\n  model:\n    name: gpt-4o\n');
  for (const lvl of ['debug', 'info', 'trace']) await put(root, `${ID}/${ID}.${lvl}.log`, `INFO ${lvl}\n`);
  await put(root, 'preds.json', JSON.stringify({ [ID]: JSON.parse(PRED) }));
  await put(root, 'all_preds.jsonl', `${PRED}\n`);
  await put(root, 'final_report.json', JSON.stringify({ total_instances: 1, submitted_instances: 1, resolved_ids: [ID], unresolved_ids: [] }));
  await put(root, 'run_batch.log', 'started\n');
  await put(root, 'run_batch.config.yaml', 'instances:\n  type: swe_bench\n');
  await put(root, 'run_batch_exit_statuses.yaml', `instances_by_exit_status:\n  submitted:\n  - ${ID}\n`);
}

// mini-swe-agent: <instance>/<instance>.traj.json, preds.json (a dict by id), exit statuses, the log.
async function miniRun(root: string): Promise<void> {
  const id = 'django__django-11099';
  const dir = 'mini-swe-agent/mini-swe-agent-v1.15.0_gemini-3-pro-preview_verified';
  await put(root, `${id}/${id}.traj.json`, { copy: `${dir}/${id}.traj.json` });
  await put(root, `${id}/${id}.report.json`, { copy: `${dir}/${id}.report.json` });
  await put(root, 'preds.json', JSON.stringify({ [id]: { model_name_or_path: 'gemini', instance_id: id, model_patch: PATCH } }));
  await put(root, 'exit_statuses_1733100000.yaml', `instances_by_exit_status:\n  Submitted:\n  - ${id}\n`);
  await put(root, 'results_summary.json', JSON.stringify({ total: 1, resolved: 1, resolved_rate: 1 }));
  await put(root, 'minisweagent.log', 'INFO done\n');
}

// OpenHands evaluation output: output.jsonl rows, its conversions, metadata, the report, raw LLM calls.
async function openhandsRun(root: string): Promise<void> {
  await put(root, 'output.jsonl', { copy: 'openhands/event-stream/resolver-output.jsonl' });
  await put(root, 'output.swebench.jsonl', `${JSON.stringify({ instance_id: 'neubig__pr-viewer-5', model_patch: PATCH, model_name_or_path: 'oh' })}\n`);
  await put(root, 'metadata.json', JSON.stringify({ agent_class: 'CodeActAgent', llm_config: { model: 'gpt-4o' }, max_iterations: 50 }));
  await put(root, 'report.json', JSON.stringify({ total_instances: 1, resolved_ids: [], error_ids: [] }));
  // A raw completion looks like a chat; the whole folder is skipped.
  await put(root, 'llm_completions/neubig__pr-viewer-5/gpt-4o-1733100000.json', JSON.stringify({ messages: [{ role: 'user', content: 'hi' }], response: {} }));
}

describe('companion names', () => {
  it('knows each agent`s run files by name and leaves trajectories alone', () => {
    for (const n of ['preds.json', 'all_preds.jsonl', 'x.pred', 'x.patch', 'final_report.json', 'run_batch.log', 'x.config.yaml', 'x.debug.log']) {
      expect(companionByName(n), n).toBeDefined();
    }
    for (const n of ['steps.summary.json', 'exit_statuses_1.yaml', 'x.report.json', 'results_summary.json', 'minisweagent.log', 'metadata.json', 'report.json', 'output.swebench.jsonl']) {
      expect(companionByName(n), n).toBeDefined();
    }
    for (const n of ['x.traj', 'x.traj.json', 'output.jsonl', 'rows.json', 'train-00000-of-00001.parquet']) expect(companionByName(n), n).toBeUndefined();
    expect(companionDir('llm_completions')?.agent).toBe('OpenHands');
  });
});

describeShared('run folders as agents write them', TRAJ_REL, () => {
  const runs: Array<[string, (root: string) => Promise<void>, number, string]> = [
    ['SWE-agent', sweAgentRun, 12, 'swe-agent'],
    ['mini-swe-agent', miniRun, 5, 'mini-swe-agent'],
    ['OpenHands', openhandsRun, 4, 'openhands-events'],
  ];
  for (const [agent, make, companions, format] of runs) {
    it(`${agent}: the trajectories load, every companion is skipped with a note, and the commands exit 0`, async () => {
      const root = await tempDir('run');
      await make(root);
      const r = await loadTrajectories([root]);
      expect(r.errors.map((e) => e.message)).toEqual([]);
      expect(r.trajectories.length).toBeGreaterThan(0);
      expect(new Set(r.trajectories.map((t) => t.format))).toEqual(new Set([format]));
      expect(r.companions).toHaveLength(companions);

      let io = capture();
      expect(await main(['trajectories', root])).toBe(0);
      expect(io.err).toEqual([]);
      expect(io.out.join('\n')).toMatch(new RegExp(`skipped ${companions} run companion file\\(s\\): .*${agent === 'OpenHands' ? 'OpenHands' : 'SWE-agent|mini'}`));

      io = capture();
      const code = await main(['srl', 'build', '--trajectories', root, '--out', join(root, '..', `${agent}-steps.jsonl`)]);
      expect(io.err).toEqual([]);
      expect(code).toBe(0);
    });
  }
});
