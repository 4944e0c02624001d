import { describe, expect, it } from 'vitest';
import { mapCall, rootMapper } from '../../src/srl/paths.ts';

describe('rootMapper', () => {
  const map = rootMapper('/plumbum');
  it('maps the root as a whole path, alone or as a prefix', () => {
    expect(map('cd /plumbum && ls /plumbum/cli/image.py')).toBe('cd /testbed && ls /testbed/cli/image.py');
    expect(map('"/plumbum/x.py", line 3')).toBe('"/testbed/x.py", line 3');
    expect(map('(/plumbum)')).toBe('(/testbed)');
  });
  it('leaves paths that only contain the root, or extend its name, alone', () => {
    expect(map('/usr/lib/plumbum/x.py /plumbum2/y a/plumbum/z /plumbum.egg-info')).toBe(
      '/usr/lib/plumbum/x.py /plumbum2/y a/plumbum/z /plumbum.egg-info',
    );
  });
  it('escapes regex characters and ignores a trailing slash', () => {
    expect(rootMapper('/workspace/python__mypy__1.6/')('/workspace/python__mypy__1.6/mypy/a.py /workspace/python__mypy__116')).toBe(
      '/testbed/mypy/a.py /workspace/python__mypy__116',
    );
  });
  it('is the identity for /testbed, /, relative or missing roots', () => {
    for (const root of ['/testbed', '/', 'plumbum', undefined, 3]) expect(rootMapper(root)('/plumbum /testbed /x')).toBe('/plumbum /testbed /x');
  });
  it('maps every argument of a call', () => {
    const call = mapCall({ tool: 'str_replace_editor', args: { command: 'view', path: '/plumbum/a.py' } }, map);
    expect(call).toEqual({ tool: 'str_replace_editor', args: { command: 'view', path: '/testbed/a.py' } });
  });
});
