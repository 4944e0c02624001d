import { describe, expect, it } from 'vitest';
import { shellWords } from '../../src/tools/shell-words.ts';
import { parseWindowed } from '../../src/tools/windowed.ts';

describe('shellWords / parseWindowed', () => {
  it('splits simple commands as bash does', () => {
    expect(shellWords(`search_dir "def is_rewrite_disabled" src`)).toEqual(['search_dir', 'def is_rewrite_disabled', 'src']);
    expect(shellWords(`find_file 'a b.py' x\\ y`)).toEqual(['find_file', 'a b.py', 'x y']);
    expect(shellWords('open ""')).toEqual(['open', '']);
    expect(shellWords('open a.py && ls')).toBeUndefined();
    expect(shellWords('echo "$HOME"')).toBeUndefined();
  });

  it('recognises windowed commands by their first word, everything else is bash', () => {
    expect(parseWindowed('open src/x.py 12')).toEqual({ name: 'open', args: ['src/x.py', '12'] });
    expect(parseWindowed('  scroll_down\n')).toEqual({ name: 'scroll_down', args: [] });
    expect(parseWindowed('edit 1:2\nfoo\nend_of_edit')).toEqual({ name: 'edit', args: [] });
    expect(parseWindowed('ls -la')).toBeUndefined();
    expect(parseWindowed('opener x')).toBeUndefined();
    expect(parseWindowed('open x.py | head')).toBeUndefined();
  });
});
