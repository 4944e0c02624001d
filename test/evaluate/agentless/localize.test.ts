import { describe, expect, it } from 'vitest';
import { fallbackFiles, localizationRecall, localize, parseLocalization, words } from '../../../src/evaluate/agentless/localize.ts';
import { normalizePatch, majorityVote } from '../../../src/evaluate/agentless/vote.ts';
import { agentlessStage, fitTree, localizePrompt, repairPrompt } from '../../../src/evaluate/agentless/prompts.ts';

const repo = ['pkg/core.py', 'pkg/util.py', 'pkg/parse_config.py', 'tests/test_core.py', 'README.md', 'docs/util.md'];

describe('parseLocalization', () => {
  it('reads the last fenced block, strips decorations, keeps known files in order, at most K', () => {
    const reply = '<think>```\nREADME.md\n```</think>\nSure:\n```text\n1. /testbed/pkg/util.py\n- `pkg/core.py`\n./pkg/util.py\nparse_config.py\nnope.py\nfix the bug\n```';
    expect(parseLocalization(reply, repo, 5)).toEqual({ files: ['pkg/util.py', 'pkg/core.py', 'pkg/parse_config.py'], unknown: ['nope.py'] });
    expect(parseLocalization(reply, repo, 2).files).toEqual(['pkg/util.py', 'pkg/core.py']);
    expect(parseLocalization('pkg/core.py\n', repo, 5).files).toEqual(['pkg/core.py']);
    expect(parseLocalization('1. **pkg/core.py**: the parser lives here\n`pkg/util.py` too.', repo, 5).files).toEqual(['pkg/core.py', 'pkg/util.py']);
  });

  it('falls back to the files sharing words with the issue when the reply names none', () => {
    expect(localize({ reply: 'I do not know', issue: 'parseConfig crashes on empty input', repoFiles: repo, maxFiles: 5 })).toEqual({
      files: ['pkg/parse_config.py'],
      source: 'fallback',
      unknown: [],
    });
    expect(fallbackFiles('the core util breaks', repo, 5)).toEqual(['pkg/core.py', 'pkg/util.py', 'docs/util.md', 'tests/test_core.py']);
    expect(fallbackFiles('nothing in common', repo, 5)).toEqual([]);
    expect([...words('parseConfig the snake_case')]).toEqual(['parse', 'config', 'snake', 'case']);
  });

  it('measures recall against the gold files', () => {
    expect(localizationRecall(['a', 'b'], ['a', 'c'])).toBe(0.5);
    expect(localizationRecall([], [])).toBe(1);
  });
});

describe('prompts', () => {
  it('lists source files first within the budget and says how many were left out', () => {
    expect(fitTree(repo, 44)).toEqual({ shown: ['pkg/core.py', 'pkg/parse_config.py', 'pkg/util.py'], left: 3 });
    const p = localizePrompt({ issue: 'bug', files: repo, opts: { maxFiles: 3 } });
    expect(p[1]!.content).toContain('at most 3');
    expect(agentlessStage(p)).toBe('localize');
    expect(agentlessStage(repairPrompt({ issue: 'bug', files: [{ path: 'a.py', content: 'x\n' }] }))).toBe('repair');
    expect(agentlessStage([{ role: 'user', content: 'x' }])).toBeUndefined();
  });
});

describe('majorityVote', () => {
  const p = (line: string) => `diff --git a/a.py b/a.py\nindex 1..2 100644\n--- a/a.py\n+++ b/a.py\n@@ -1,2 +1,2 @@\n x\n-y\n+${line}\n`;
  it('groups patches that make the same change and picks the largest group, first on ties', () => {
    expect(normalizePatch(p('z = 1'))).toBe('file a.py\n-y\n+z = 1');
    expect(normalizePatch(p('  z = 1  ').replace('@@ -1,2', '@@ -5,2'))).toBe(normalizePatch(p('z = 1')));
    expect(majorityVote([p('a'), p('b'), p(' b'), ''])).toEqual({ index: 1, votes: 2, distinct: 2 });
    expect(majorityVote([p('a'), p('b')])).toEqual({ index: 0, votes: 1, distinct: 2 });
    expect(majorityVote(['', ''])).toEqual({ index: 0, votes: 2, distinct: 0 });
    expect(majorityVote([])).toEqual({ index: -1, votes: 0, distinct: 0 });
  });
});
