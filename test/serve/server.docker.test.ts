// The HTTP server on bundled tasks in real sandboxes: rewards, grading, and an environment stepped to a submission.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEnvRegistry } from '../../src/config/envs.ts';
import { LocalImages } from '../../src/harness/image-provider.ts';
import { OutcomeGrader } from '../../src/oracle/outcome.ts';
import { editCall, patchToEdits } from '../../src/oracle/patch-edits.ts';
import { DockerEngine } from '../../src/sandbox/docker-engine.ts';
import { EnvPool } from '../../src/serve/envs.ts';
import { serve, type RunningServer } from '../../src/serve/server.ts';
import { renderCall } from '../../src/srl/action-xml.ts';
import { loadBundledTasks, type BundledTask } from '../../src/tasks/bundled.ts';
import { dockerSkipReason } from '../helpers/docker.ts';
import { DockerSandboxProvider } from '../../src/harness/sandbox-provider.ts';

const ID = 'swe-srl__textkit-1';

describe.skipIf(dockerSkipReason)('swe-srl serve (bundled tasks, real containers)', () => {
  let server: RunningServer;
  let task: BundledTask;
  const call = async (method: string, path: string, body?: unknown) => {
    const r = await fetch(`http://127.0.0.1:${server.port}${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: r.status, json: (await r.json()) as Record<string, unknown> };
  };

  beforeAll(async () => {
    const engine = new DockerEngine();
    const tasks = (await loadBundledTasks()).filter((t) => t.instance_id === ID);
    task = tasks[0]!;
    const images = new LocalImages({ engine, envs: await loadEnvRegistry() });
    server = await serve({
      pool: new EnvPool({ sandboxes: new DockerSandboxProvider({ engine, images }), tasks, maxEnvs: 1, ttlS: 600, stepTimeoutMs: 60_000 }),
      grader: new OutcomeGrader({ sandboxes: new DockerSandboxProvider({ engine, images }), tasks }),
      port: 0,
    });
  });
  afterAll(async () => server?.close());

  it('scores responses with the SRL reward, and says what is wrong with a bad request', async () => {
    const target = '<function=bash>\n<parameter=command>ls</parameter>\n</function>';
    expect((await call('POST', '/reward', { response: `<think>x</think>\n${target}`, target })).json).toEqual({ reward: 1, status: 'ok' });
    expect((await call('POST', '/reward', { response: 'no', target })).json).toEqual({ reward: -1, status: 'missing_think' });
    const bad = await call('POST', '/reward', { target });
    expect(bad.status).toBe(400);
    expect(bad.json.error).toMatchObject({ code: 'bad_request', field: 'response' });
    expect((await call('GET', '/nowhere')).status).toBe(404);
    expect((await call('GET', '/reward')).status).toBe(405);
    expect((await call('GET', '/health')).json).toEqual({ ok: true, tasks: 1, envs: 0 });
  });

  it('grades patches and oracle responses in the sandbox', async () => {
    expect((await call('POST', '/grade', { instance_id: ID, patch: task.patch })).json).toMatchObject({ status: 'resolved', resolved: true });
    const edits = patchToEdits(task.patch).map((e) => renderCall(editCall(e, '/testbed'))).join('\n');
    expect((await call('POST', '/reward/outcome', { instance_id: ID, response: `<think>fix</think>\n${edits}` })).json).toEqual({ reward: 1, status: 'ok', detail: 'resolved' });
    expect((await call('POST', '/grade', { instance_id: 'nope', patch: 'x' })).status).toBe(404);
  }, 120_000);

  it('opens an environment, steps it to a submission that resolves, and closes it', async () => {
    const open = await call('POST', '/envs', { instance_id: ID });
    expect(open.status).toBe(200);
    const env = open.json.env_id as string;
    expect((await call('POST', '/envs', { instance_id: ID })).status).toBe(429);
    const cd = await call('POST', `/envs/${env}/step`, { action: '<function=bash>\n<parameter=command>cd /tmp && export X=42</parameter>\n</function>' });
    expect(cd.json).toMatchObject({ exit_code: 0, done: false, steps: 1 });
    // The shell persists between steps.
    expect((await call('POST', `/envs/${env}/step`, { action: '<function=bash>\n<parameter=command>pwd; echo $X</parameter>\n</function>' })).json.observation).toBe('/tmp\n42\n');
    expect((await call('POST', `/envs/${env}/step`, { response: 'no think' })).json).toMatchObject({ format_error: 'missing_think', done: false });
    for (const e of patchToEdits(task.patch)) {
      const r = await call('POST', `/envs/${env}/step`, { response: `<think>edit</think>\n${renderCall(editCall(e, '/testbed'))}` });
      expect(r.json.observation).toMatch(/has been edited|File created/);
    }
    const diff = (await call('GET', `/envs/${env}/diff`)).json.patch as string;
    const submit = await call('POST', `/envs/${env}/step`, { action: '<function=submit>\n</function>' });
    expect(submit.json).toMatchObject({ done: true, submission: diff });
    expect((await call('POST', `/envs/${env}/step`, { action: '<function=bash>\n<parameter=command>ls</parameter>\n</function>' })).status).toBe(400);
    expect((await call('POST', '/grade', { instance_id: ID, patch: diff })).json).toMatchObject({ resolved: true });
    expect((await call('DELETE', `/envs/${env}`)).json).toEqual({ closed: true });
    expect((await call('GET', `/envs/${env}/diff`)).status).toBe(404);
  }, 180_000);
});
