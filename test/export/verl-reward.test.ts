// The verl reward module (Python, difflib) against our TypeScript scorer: the same reward and the same status on
// the same responses, malformed ones of every reason included, with autojunk off and on.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PYTHON_DIR } from '../../src/export/verl/write.ts';
import { defaultPython } from '../../src/policy/python-env.ts';
import { renderCall } from '../../src/srl/action-xml.ts';
import { scoreResponse } from '../../src/srl/reward.ts';
import { mulberry32 } from '../../src/util/random.ts';

const PY = defaultPython();
const skip = existsSync(PY) ? false : `no Python at ${PY}`;
if (skip) console.warn(`verl reward module test skipped: ${skip}`);

const bash = (c: string) => renderCall({ tool: 'bash', args: { command: c } });
const view = (p: string) => renderCall({ tool: 'str_replace_editor', args: { command: 'view', path: p } });
const edit = (p: string, o: string, n: string) => renderCall({ tool: 'str_replace_editor', args: { command: 'str_replace', path: p, old_str: o, new_str: n } });

/** Responses around a target: exact, reordered, near misses, and one of every format error. */
function corpus(): Array<[string, string]> {
  const long = 'def f(x):\n    return x + 1\n'.repeat(12);
  const targets = [bash('ls -la /testbed'), view('/testbed/src/a.py'), edit('/testbed/a.py', long, long.replace(/1/g, '2')), renderCall({ tool: 'submit', args: {} })];
  const out: Array<[string, string]> = [];
  const think = (s: string) => `<think>look</think>\n${s}`;
  for (const t of targets) {
    out.push([think(t), t], [`  \n${think(t)}\n\n`, t], [think(bash('ls')), t], [think(view('/testbed/src/b.py')), t]);
  }
  const reordered = '<think>x</think><function=str_replace_editor>\n<parameter=path>/testbed/src/a.py</parameter>\n<parameter = command >view</parameter></function>';
  const t0 = view('/testbed/src/a.py');
  const bad = [
    '', '   \n', 'no think', 'pre <think>x</think>' + t0, '<think>never closed', `<think>a</think><think>b</think>${t0}`,
    '<think>x</think> plain text', `<think>x</think>text ${t0}`, '<think>x</think><function=bash\n<parameter=command>ls</parameter></function>',
    '<think>x</think><function=bash>oops</function>', '<think>x</think><function=rm>\n</function>', '<think>x</think><function=bash>\n<parameter=cmd>ls</parameter>\n</function>',
    '<think>x</think><function=bash>\n<parameter=command>a</parameter>\n<parameter=command>b</parameter>\n</function>', '<think>x</think><function=bash>\n</function>',
    '<think>x</think><function=str_replace_editor>\n<parameter=command>delete</parameter>\n<parameter=path>/a</parameter>\n</function>',
    '<think>x</think><function=str_replace_editor>\n<parameter=command>insert</parameter>\n<parameter=path>/a</parameter>\n<parameter=insert_line>٣</parameter>\n<parameter=new_str>x</parameter>\n</function>',
    '<think>x</think><function=str_replace_editor>\n<parameter=command>view</parameter>\n<parameter=path>/a</parameter>\n<parameter=view_range>[1,\u00a02]</parameter>\n</function>',
    '<think>x</think><function=str_replace_editor>\n<parameter=command>create</parameter>\n<parameter=path>/a</parameter>\n</function>',
    `<think>x</think>${t0}${t0}`, `<think>x</think>${t0} trailing`, `<think>x</think>${t0}\u3000\ufeff`, `\u2028<think>x</think>\u00a0${t0}`,
    `<think>x</think>${t0}\u0085`, '<think>x</think><function=bash>\n<parameter=command>unclosed', '<think>x</think><function=bash>\n<parameter=command\n>ls</parameter></function>',
    reordered, '<think>x</think><function=submit></function>', '<think>日本 🎉</think><function=bash><parameter=command>echo 🎉 日本</parameter></function>',
  ];
  for (const b of bad) out.push([b, t0]);
  out.push(['<think>x</think><function=bash><parameter=command>echo 🎉 日本</parameter></function>', bash('echo 🎉 日本!')]);
  // Random edits of real-looking calls: both scorers see the same mutated text.
  const rand = mulberry32(7);
  const alphabet = 'ab </>=\n\tfunctionparameter';
  for (let i = 0; i < 60; i++) {
    const t = targets[i % targets.length]!;
    let s = think(t);
    for (let k = 0; k < 1 + Math.floor(rand() * 3); k++) {
      const at = Math.floor(rand() * s.length);
      s = rand() < 0.5 ? s.slice(0, at) + alphabet[Math.floor(rand() * alphabet.length)] + s.slice(at) : s.slice(0, at) + s.slice(at + 1);
    }
    out.push([s, t]);
  }
  return out;
}

function pythonScores(pairs: Array<[string, string]>, autojunk: boolean): Array<[number, string]> {
  const script = `import json, sys
sys.path.insert(0, ${JSON.stringify(PYTHON_DIR)})
import swe_srl_reward as m
pairs = json.load(sys.stdin)
out = [list(m.score(r, t, autojunk=${autojunk ? 'True' : 'False'})) for r, t in pairs]
assert all(m.compute_score("swe-srl/x", r, t) == m.score(r, t)[0] for r, t in pairs)
print(json.dumps(out))`;
  return JSON.parse(execFileSync(PY, ['-c', script], { input: JSON.stringify(pairs), encoding: 'utf8' }));
}

describe.skipIf(skip)('verl reward module (swe_srl_reward.py) against the TypeScript scorer', () => {
  const pairs = corpus();

  it.each([false, true])('gives the same reward and status on every response (autojunk %s)', (autojunk) => {
    const py = pythonScores(pairs, autojunk);
    const ts = pairs.map(([r, t]) => {
      const s = scoreResponse(r, t, { autojunk });
      return [s.reward, s.status];
    });
    const differ = pairs.map((p, i) => ({ response: p[0], ts: ts[i], py: py[i] })).filter((d) => JSON.stringify(d.ts) !== JSON.stringify(d.py));
    expect(differ).toEqual([]);
    // The corpus covers scores of every kind, so agreement means something.
    const statuses = new Set(ts.map((s) => s[1]));
    expect(statuses.size).toBeGreaterThanOrEqual(12);
    expect(ts.some(([r]) => (r as number) > 0 && (r as number) < 1)).toBe(true);
    expect(ts.filter(([r]) => r === 1).length).toBeGreaterThanOrEqual(4);
  });

  it('is the module the export writes, with verl\'s compute_score signature', () => {
    const out = execFileSync(PY, ['-c', `import sys, inspect; sys.path.insert(0, ${JSON.stringify(PYTHON_DIR)}); import swe_srl_reward as m; print(list(inspect.signature(m.compute_score).parameters)[:4], m.AUTOJUNK)`], { encoding: 'utf8' });
    expect(out.trim()).toBe("['data_source', 'solution_str', 'ground_truth', 'extra_info'] False");
    expect(existsSync(join(PYTHON_DIR, 'swe_srl_agent_loop.py'))).toBe(true);
  });
});
