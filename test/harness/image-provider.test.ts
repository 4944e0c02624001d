import { beforeAll, expect, it } from 'vitest';
import { loadEnvRegistry } from '../../src/config/envs.ts';
import { OfficialImages } from '../../src/harness/image-provider.ts';
import { parseTaskRows } from '../../src/tasks/load.ts';
import type { Task } from '../../src/tasks/schema.ts';
import { readFileSync } from 'node:fs';
import { describeShared, sharedPath } from '../helpers/shared.ts';

const INSTANCE = 'data/instances/sympy__sympy-20590/instance.json';

describeShared('OfficialImages on a real instance', INSTANCE, () => {
  let task: Task | undefined;
  beforeAll(() => {
    [task] = parseTaskRows([JSON.parse(readFileSync(sharedPath(INSTANCE), 'utf8'))], { file: 'instance.json' });
  });

  it('pulls the SWE-bench image when missing and runs commands in its conda env at the base commit', async () => {
    const pulled: string[] = [];
    let present = false;
    const engine = {
      inspectImage: async () => (present ? { id: 'sha256:x', labels: {} } : undefined),
      pullImage: async (ref: string) => {
        pulled.push(ref);
        present = true;
      },
    };
    const images = new OfficialImages({ engine, envs: await loadEnvRegistry() });
    const first = await images.prepare(task!);
    expect(first).toMatchObject({
      image: 'swebench/sweb.eval.x86_64.sympy_1776_sympy-20590:latest',
      workdir: '/testbed',
      baseRef: 'cffd4e0f86fefd4802349a9f9b19ed70934ea354',
      built: true,
    });
    expect(first.prelude).toBe('source /opt/miniconda3/bin/activate\nconda activate testbed');
    expect((await images.prepare(task!)).built).toBe(false);
    expect(pulled).toEqual(['swebench/sweb.eval.x86_64.sympy_1776_sympy-20590:latest']);
    expect(images.spec(task!).log_parser).toBe('sympy');
  });

  it('fails for a repo with no env spec, naming the known ones', async () => {
    const images = new OfficialImages({
      engine: { inspectImage: async () => undefined, pullImage: async () => undefined },
      envs: await loadEnvRegistry(),
    });
    expect(() => images.spec({ ...task!, repo: 'nobody/nothing' })).toThrow(/no env spec for repo nobody\/nothing.*Known repos: .*sympy\/sympy/);
  });
});
