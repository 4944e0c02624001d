import { describe, expect, it } from 'vitest';
import { resolveGroup, EnvSpecFileSchema } from '../../src/config/env-spec.ts';
import { BASE_LINES, chooseBase, nearestLine, SWEBENCH_PYTHON } from '../../src/config/python-lines.ts';
import { pythonInfo } from '../../src/sandbox/images.ts';
import { missingShared, sharedPath } from '../helpers/shared.ts';
import { loadTasks } from '../../src/tasks/load.ts';
import { loadEnvRegistry } from '../../src/config/envs.ts';

describe('base line selection', () => {
  it('maps each Python to the nearest Debian line, ties to the newer one', () => {
    expect(nearestLine('3.5')).toBe('bullseye');
    expect(nearestLine('3.6')).toBe('bullseye');
    expect(nearestLine('3.9')).toBe('bullseye');
    expect(nearestLine('3.10')).toBe('bookworm');
    expect(nearestLine('3.11')).toBe('bookworm');
    expect(nearestLine('3.12')).toBe('trixie');
    expect(nearestLine('3.13')).toBe('trixie');
    expect(nearestLine('3.14')).toBe('trixie');
    expect(() => nearestLine('2.7')).toThrow(/bad_python_version/);
  });

  it('uses SWE-bench\'s Python for known repo/versions, a pinned line first, bookworm otherwise', () => {
    expect(chooseBase({ repo: 'sympy/sympy', version: '1.1' })).toEqual({ line: 'bullseye', python: '3.9', swebenchPython: '3.9', reason: 'exact' });
    expect(chooseBase({ repo: 'django/django', version: '3.0' })).toMatchObject({ line: 'bullseye', swebenchPython: '3.6', reason: 'nearest' });
    expect(chooseBase({ repo: 'matplotlib/matplotlib', version: '3.7' })).toMatchObject({ line: 'bookworm', reason: 'exact' });
    expect(chooseBase({ repo: 'pydata/xarray', version: '0.12' })).toMatchObject({ line: 'bookworm', swebenchPython: '3.10', reason: 'nearest' });
    expect(chooseBase({ repo: 'sympy/sympy', version: '1.1', pinned: 'trixie' })).toEqual({ line: 'trixie', python: '3.13', swebenchPython: '3.9', reason: 'pinned' });
    expect(chooseBase({ repo: 'sympy/sympy', version: '1.1', pinned: 'auto' }).line).toBe('bullseye');
    expect(chooseBase({ repo: 'swe-srl/textkit', version: '1' })).toEqual({ line: 'bookworm', python: '3.11', reason: 'default' });
    expect(chooseBase({ repo: 'sympy/sympy', version: '9.9' }).reason).toBe('default');
  });

  it('resolves a spec group\'s base, and rejects an unknown line', () => {
    const file = EnvSpecFileSchema.parse({ repo: 'sympy/sympy', groups: [{ versions: ['*'], test_cmd: 't', log_parser: 'sympy' }] });
    expect(resolveGroup(file, '1.1')?.base_choice?.line).toBe('bullseye');
    const pinned = EnvSpecFileSchema.parse({ repo: 'sympy/sympy', groups: [{ versions: ['*'], base: 'bookworm', test_cmd: 't', log_parser: 'sympy' }] });
    expect(resolveGroup(pinned, '1.1')?.base_choice).toMatchObject({ line: 'bookworm', reason: 'pinned' });
    expect(() => EnvSpecFileSchema.parse({ repo: 'a/b', groups: [{ versions: ['*'], base: 'buster', test_cmd: 't', log_parser: 'p' }] })).toThrow(/bullseye/);
  });

  it('reports the interpreter from the base label, else the line\'s minor version', () => {
    const choice = chooseBase({ repo: 'sympy/sympy', version: '1.1' });
    expect(pythonInfo(choice, { 'swe-srl.python': '3.9.2' }, false)).toEqual({ python_line: 'bullseye', python_version: '3.9.2', swebench_python: '3.9' });
    expect(pythonInfo(choice, {}, false).python_version).toBe('3.9');
    expect(pythonInfo(choice, {}, true)).toEqual({ python_line: 'custom', python_version: 'unknown', swebench_python: '3.9' });
  });

  it.skipIf(missingShared('the Python table covering every Lite and Verified repo/version', 'data/swe-bench-verified.json'))(
    'knows SWE-bench\'s Python for every repo/version of Lite and Verified',
    async () => {
      const rows = [...(await loadTasks(sharedPath('data/swe-bench-verified.json'))), ...(await loadTasks(sharedPath('data/swe-bench-lite.json')))];
      const missing = rows.filter((r) => SWEBENCH_PYTHON[r.repo]?.[r.version] === undefined).map((r) => `${r.repo}@${r.version}`);
      expect([...new Set(missing)]).toEqual([]);
      expect(Object.keys(SWEBENCH_PYTHON)).toHaveLength(12);
      expect(Object.values(BASE_LINES)).toEqual(['3.9', '3.11', '3.13']);
      // Every row has an env spec, and sympy 1.1 (which does not import on 3.11) builds on bullseye.
      const envs = await loadEnvRegistry();
      for (const r of rows) expect(envs.resolve(r.repo, r.version).base_choice?.line).toMatch(/^(bullseye|bookworm|trixie)$/);
      expect(envs.resolve('sympy/sympy', '1.1').base_choice).toMatchObject({ line: 'bullseye', reason: 'exact' });
      expect(envs.resolve('pytest-dev/pytest', '5.4').base_choice).toMatchObject({ line: 'bullseye', reason: 'pinned' });
      expect(envs.resolve('pytest-dev/pytest', '7.0').base_choice).toMatchObject({ line: 'bullseye', reason: 'pinned' });
      expect(envs.resolve('pytest-dev/pytest', '8.0').base_choice).toMatchObject({ line: 'bookworm', reason: 'pinned' });
      expect(envs.resolve('sphinx-doc/sphinx', '4.3').base_choice).toMatchObject({ line: 'bullseye', reason: 'pinned' });
      expect(envs.resolve('sphinx-doc/sphinx', '5.0').base_choice).toMatchObject({ line: 'bookworm', reason: 'pinned' });
    },
  );
});
