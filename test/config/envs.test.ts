import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadEnvRegistry } from '../../src/config/envs.ts';
import { loadTasks } from '../../src/tasks/load.ts';
import { missingShared, sharedPath } from '../helpers/shared.ts';
import { tempDir } from '../helpers/tmp.ts';

const LITE = 'data/swe-bench-lite.json';
const noLite = missingShared('env specs serving the real Lite rows', LITE);

describe('env specs', () => {
  it.skipIf(noLite)('serve every repo/version of the shared real instances and the bundled tasks', async () => {
    const envs = await loadEnvRegistry();
    const lite = await loadTasks(sharedPath(LITE));
    const ours = new Set(envs.repos());
    const served = lite.filter((t) => ours.has(t.repo));
    expect(served.length).toBeGreaterThan(90);
    for (const t of served) expect(envs.resolve(t.repo, t.version).test_cmd).toBeTruthy();
    const pytest = envs.resolve('pytest-dev/pytest', '5.4');
    expect(pytest.env.SETUPTOOLS_SCM_PRETEND_VERSION).toBe('5.4.0.dev0');
    expect(envs.resolve('sympy/sympy', '1.7').log_parser).toBe('sympy');
  });

  it('rejects unknown keys and names the file and field', async () => {
    const dir = await tempDir('envs');
    await writeFile(join(dir, 'x.yaml'), 'repo: a/b\ngroups:\n  - versions: ["*"]\n    test_cmd: pytest\n    log_parser: pytest\n    apt_get: [x]\n');
    await expect(loadEnvRegistry(dir)).rejects.toThrow(/bad_env_spec.*Unrecognized key.*apt_get.*file .*x\.yaml, field groups\[0\]/);
  });

  it('picks an exact version group before "*", and says which versions exist', async () => {
    const dir = await tempDir('envs');
    await writeFile(
      join(dir, 'a.yaml'),
      'repo: a/b\ngroups:\n  - versions: ["1.0"]\n    test_cmd: old\n    log_parser: pytest\n  - versions: ["2.0", "2.1"]\n    test_cmd: new {version}\n    log_parser: pytest\n',
    );
    const envs = await loadEnvRegistry(dir);
    expect(envs.resolve('a/b', '1.0').test_cmd).toBe('old');
    expect(envs.resolve('a/b', '2.1').test_cmd).toBe('new 2.1');
    expect(() => envs.resolve('a/b', '3.0')).toThrow(/serves no version "3.0".*Served: 1.0, 2.0, 2.1/);
  });
});
