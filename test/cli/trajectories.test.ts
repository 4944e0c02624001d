import { readdir, readFile, writeFile, copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { shared, TRAJ_REL } from '../trajectories/helpers.ts';
import { capture } from '../helpers/console.ts';
import { describeShared } from '../helpers/shared.ts';
import { tempDir } from '../helpers/tmp.ts';

describeShared('swe-srl trajectories on the real files', TRAJ_REL, () => {
  it('prints a table and writes normalized JSON with --out', async () => {
    const out = await tempDir('cli');
    const io = capture();
    const code = await main(['trajectories', shared('nebius/rows.json'), '--out', out]);
    expect(code).toBe(0);
    const table = io.out.join('\n');
    expect(table).toMatch(/rows\.json\[0\]\s+nebius\s+tomerfiliba__plumbum-366\s+6\s+yes\s+yes/);
    const files = await readdir(join(out, 'nebius'));
    expect(files).toHaveLength(3);
    const t = JSON.parse(await readFile(join(out, 'nebius', files[0]!), 'utf8'));
    expect(t.version).toBe(1);
  });
  it('reports bad files at the end and exits 1', async () => {
    const dir = await tempDir('cli');
    await copyFile(shared('swe-smith/rows.json'), join(dir, 'rows.json'));
    await writeFile(join(dir, 'bad.traj'), '{"trajectory": [');
    const io = capture();
    const code = await main(['trajectories', dir]);
    expect(code).toBe(1);
    expect(io.out.join('\n')).toMatch(/bad\.traj\s+\?.*FAILED/);
    expect(io.err.join('\n')).toMatch(/1 error\(s\)[\s\S]*trajectory_json[\s\S]*bad\.traj/);
  });
  it('fails an unknown --format listing the valid ones (exit 2)', async () => {
    const io = capture();
    const code = await main(['trajectories', shared('nebius/rows.json'), '--format', 'nope']);
    expect(code).toBe(2);
    expect(io.err.join('\n')).toMatch(/valid formats: swe-srl, swe-agent/i);
  });
});
