import { describe, expect, it } from 'vitest';
import { renderCall } from '../../src/srl/action-xml.ts';
import { parseCompletions, parseExamples, scoreCompletions, summarize } from '../../src/srl/score-file.ts';
import { SweSrlError } from '../../src/util/errors.ts';

const target = renderCall({ tool: 'submit', args: {} });

describe('score-file', () => {
  it('parses JSONL with blank lines and CRLF, keeping 1-based line numbers', () => {
    const completions = parseCompletions('{"id":"a","response":"x"}\r\n\r\n{"id":"a","response":"y","extra":1}\n', 'c.jsonl');
    expect(completions).toEqual([
      { id: 'a', response: 'x', line: 1 },
      { id: 'a', response: 'y', line: 3 },
    ]);
    expect(parseExamples('{"id":"a","target":"t","prompt":[1]}', 'e.jsonl')).toEqual(new Map([['a', 't']]));
  });

  it('throws a user error carrying file, line and field', () => {
    try {
      parseExamples('{"id":"a","target":"t"}\n{"id":"","target":"t"}\n', 'e.jsonl');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(SweSrlError);
      const err = e as SweSrlError;
      expect([err.code, err.fault, err.file, err.field, err.value]).toEqual(['bad_jsonl_line', 'user', 'e.jsonl', 'line 2: id', '']);
    }
  });

  it('scores completions and summarises them', () => {
    const { rows, summary } = scoreCompletions({
      targets: new Map([['a', target], ['b', target]]),
      completions: [
        { id: 'a', response: `<think></think>${target}`, line: 1 },
        { id: 'a', response: 'no', line: 2 },
        { id: 'a', response: '<think></think>', line: 3 },
      ],
      completionsFile: 'c.jsonl',
    });
    expect(rows.map((r) => [r.reward, r.status])).toEqual([
      [1, 'ok'],
      [-1, 'missing_think'],
      [-1, 'no_call'],
    ]);
    expect(summary).toEqual({
      responses: 3,
      examples: 1,
      meanReward: -1 / 3,
      meanRewardParsed: 1,
      formatErrors: 2,
      formatErrorRate: 2 / 3,
      reasons: { missing_think: 1, no_call: 1 },
    });
  });

  it('decides the degenerate summaries: no rows, no parsed rows', () => {
    expect(summarize([])).toMatchObject({ responses: 0, meanReward: null, meanRewardParsed: null, formatErrorRate: null });
    expect(summarize([{ version: 1, id: 'a', line: 1, reward: -1, status: 'extra_text' }])).toMatchObject({
      meanReward: -1,
      meanRewardParsed: null,
      formatErrorRate: 1,
    });
  });
});
