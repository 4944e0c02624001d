import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { renderCall } from '../../src/srl/action-xml.ts';
import { similarity } from '../../src/srl/reward.ts';

const target1 = renderCall({ tool: 'bash', args: { command: 'ls /testbed' } });
const target2 = renderCall({ tool: 'str_replace_editor', args: { command: 'view', path: '/testbed/a.py' } });
const jsonl = (rows: unknown[]): string => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';

let dir: string;
let logs: string[];
let errors: string[];

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'swe-srl-score-'));
  logs = [];
  errors = [];
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void logs.push(a.join(' ')));
  vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void errors.push(a.join(' ')));
});
afterEach(() => {
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

function files(examples: string, completions: string): { ex: string; co: string; out: string } {
  const ex = path.join(dir, 'steps.jsonl');
  const co = path.join(dir, 'c.jsonl');
  writeFileSync(ex, examples);
  writeFileSync(co, completions);
  return { ex, co, out: path.join(dir, 'out', 'scores.jsonl') };
}

describe('swe-srl srl score', () => {
  it('scores every response, prints the summary and writes one row per response', async () => {
    const { ex, co, out } = files(
      jsonl([
        { id: 'a#0', target: target1, prompt: 'ignored' },
        { id: 'a#1', target: target2 },
      ]),
      jsonl([
        { id: 'a#0', response: `<think>list</think>\n${target1}` },
        { id: 'a#0', response: '<think>x</think><function=bash><parameter=command>ls /</parameter></function>' },
        { id: 'a#1', response: target2 },
        { id: 'a#1', response: '<think>oops' },
      ]),
    );
    const code = await main(['srl', 'score', '--examples', ex, '--completions', co, '--out', out]);
    expect(errors).toEqual([]);
    expect(code).toBe(0);
    const rows = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const partial = similarity(renderCall({ tool: 'bash', args: { command: 'ls /' } }), target1);
    expect(rows).toEqual([
      { version: 1, id: 'a#0', line: 1, reward: 1, status: 'ok' },
      { version: 1, id: 'a#0', line: 2, reward: partial, status: 'ok' },
      { version: 1, id: 'a#1', line: 3, reward: -1, status: 'missing_think' },
      { version: 1, id: 'a#1', line: 4, reward: -1, status: 'unclosed_think' },
    ]);
    const text = logs.join('\n');
    expect(text).toContain(`mean reward: ${((1 + partial - 2) / 4).toFixed(4)}`);
    expect(text).toContain('format errors: 2 (50.0%) - missing_think 1, unclosed_think 1');
  });

  it('prints the summary as JSON with --json and honours --autojunk', async () => {
    const long = renderCall({ tool: 'bash', args: { command: `${'ab'.repeat(150)}x` } });
    const response = `<think></think><function=bash><parameter=command>x${'ab'.repeat(150)}</parameter></function>`;
    const { ex, co } = files(jsonl([{ id: 'e', target: long }]), jsonl([{ id: 'e', response }]));
    expect(await main(['srl', 'score', '--examples', ex, '--completions', co, '--json'])).toBe(0);
    expect(await main(['srl', 'score', '--examples', ex, '--completions', co, '--json', '--autojunk'])).toBe(0);
    const [plain, junk] = logs.map((l) => JSON.parse(l));
    expect(plain).toMatchObject({ responses: 1, examples: 1, formatErrors: 0, formatErrorRate: 0, reasons: {} });
    expect(plain.meanReward).toBeGreaterThan(0.9);
    expect(junk.meanReward).toBeLessThan(0.3);
  });

  it('names the file, line and field of a bad line', async () => {
    const { ex, co } = files(jsonl([{ id: 'a', target: target1 }]), `${JSON.stringify({ id: 'a', response: 'x' })}\n\n{"id": "a", "response": 3}\n`);
    expect(await main(['srl', 'score', '--examples', ex, '--completions', co])).toBe(2);
    expect(errors.join('\n')).toMatch(/bad_jsonl_line: line 3: response: Expected string, received number \(file .*c\.jsonl, field line 3: response/);
  });

  it('reports a line that is not JSON and an example without a target', async () => {
    let f = files('{"id": "a", "target": "t"}\nnot json\n', '');
    expect(await main(['srl', 'score', '--examples', f.ex, '--completions', f.co])).toBe(2);
    expect(errors.pop()).toMatch(/line 2: \(line\): not JSON.*steps\.jsonl/);
    f = files('{"id": "a"}\n', '');
    expect(await main(['srl', 'score', '--examples', f.ex, '--completions', f.co])).toBe(2);
    expect(errors.pop()).toMatch(/line 1: target: Required/);
  });

  it('fails on an unknown example id, naming it', async () => {
    const { ex, co } = files(jsonl([{ id: 'a', target: target1 }]), jsonl([{ id: 'zzz', response: target1 }]));
    expect(await main(['srl', 'score', '--examples', ex, '--completions', co])).toBe(2);
    expect(errors.join('\n')).toMatch(/unknown_example_id: line 1: no example has id "zzz"/);
  });

  it('fails on duplicate example ids and on a missing file', async () => {
    let f = files(jsonl([{ id: 'a', target: 'x' }, { id: 'a', target: 'y' }]), '');
    expect(await main(['srl', 'score', '--examples', f.ex, '--completions', f.co])).toBe(2);
    expect(errors.pop()).toMatch(/duplicate_example_id/);
    f = files('', '');
    expect(await main(['srl', 'score', '--examples', f.ex, '--completions', path.join(dir, 'nope.jsonl')])).toBe(2);
    expect(errors.pop()).toMatch(/file_unreadable/);
  });

  it('summarises an empty completions file without dividing by zero', async () => {
    const { ex, co } = files(jsonl([{ id: 'a', target: target1 }]), '');
    expect(await main(['srl', 'score', '--examples', ex, '--completions', co])).toBe(0);
    expect(logs.join('\n')).toContain('mean reward: n/a');
  });
});
