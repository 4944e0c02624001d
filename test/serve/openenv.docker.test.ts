// `swe-srl serve` speaking OpenEnv: a client written after OpenEnv's EnvClient (test/serve/openenv_client.py, over
// the `websockets` package) runs a whole episode of a bundled task in a real sandbox over /openenv/ws, and the
// stateless HTTP routes answer in OpenEnv's shapes. Skips with a line when Docker, Python or websockets is missing.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEnvRegistry } from '../../src/config/envs.ts';
import { LocalImages } from '../../src/harness/image-provider.ts';
import { DockerSandboxProvider } from '../../src/harness/sandbox-provider.ts';
import { OutcomeGrader } from '../../src/oracle/outcome.ts';
import { editCall, patchToEdits } from '../../src/oracle/patch-edits.ts';
import { defaultPython } from '../../src/policy/python-env.ts';
import { DockerEngine } from '../../src/sandbox/docker-engine.ts';
import { EnvPool } from '../../src/serve/envs.ts';
import { serve, type RunningServer } from '../../src/serve/server.ts';
import { renderCall } from '../../src/srl/action-xml.ts';
import { loadBundledTasks, type BundledTask } from '../../src/tasks/bundled.ts';
import { dockerSkipReason } from '../helpers/docker.ts';
import { tempDirSync } from '../helpers/tmp.ts';

const ID = 'swe-srl__textkit-1';
const PY = defaultPython();

// websockets (what OpenEnv's client uses) goes into a temp folder from the machine's package index.
function installWebsockets(): { path?: string; skip?: string } {
  if (!existsSync(PY)) return { skip: `no Python at ${PY}` };
  const dir = tempDirSync('openenv-py');
  try {
    execFileSync(PY, ['-c', 'import websockets'], { stdio: 'ignore' });
    return { path: '' };
  } catch {
    /* not installed: install below */
  }
  try {
    execFileSync(PY, ['-m', 'pip', 'install', '-q', '--target', dir, 'websockets'], { stdio: 'ignore', timeout: 120_000 });
    return { path: dir };
  } catch {
    return { skip: 'the websockets Python package is not installable here' };
  }
}
const ws = dockerSkipReason ? {} : installWebsockets();
const skip = dockerSkipReason ?? ws.skip;
if (ws.skip) console.warn(`[skip] OpenEnv test: ${ws.skip}`);

const SCRIPT = `
import asyncio, json, sys, urllib.request
sys.path.insert(0, ${JSON.stringify(join(import.meta.dirname, '.'))})
from openenv_client import EnvClient
inp = json.load(sys.stdin)
base, headers = inp["base"], {"Authorization": "Bearer tok"}
def http(method, path, body=None, auth=True):
    req = urllib.request.Request(base + path, method=method, data=None if body is None else json.dumps(body).encode(), headers=headers if auth else {})
    try:
        with urllib.request.urlopen(req, timeout=600) as r: return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e: return e.code, json.loads(e.read())
async def expect_error(coro):
    try: await coro
    except RuntimeError as e: return str(e)
    return None
async def main():
    out = {"health": http("GET", "/health", auth=False), "schema": http("GET", "/schema"), "metadata": http("GET", "/metadata"), "noauth": http("GET", "/schema", auth=False)}
    try:
        await EnvClient(base).connect(); out["ws_noauth"] = "connected"
    except Exception as e: out["ws_noauth"] = type(e).__name__ + ": " + str(e)
    async with EnvClient(base, headers=headers) as env:
        out["early_step"] = await expect_error(env.step({"command": "ls"}))
        r = await env.reset(instance_id=inp["instance_id"], episode_id="ep-1")
        out["reset"] = r.__dict__
        out["cd"] = (await env.step({"command": "cd /tmp && export X=42"})).__dict__
        out["persist"] = (await env.step({"tool": "bash", "arguments": {"command": "pwd; echo $X"}})).__dict__
        out["malformed"] = (await env.step({"response": "no think"})).__dict__
        out["bad_param"] = (await env.step({"tool": "bash", "arguments": {"cmd": "ls"}})).__dict__
        out["invalid"] = await expect_error(env.step({"bogus": 1}))
        out["unknown_type"] = await expect_error(env._send_and_receive({"type": "dance"}))
        await env._ws.send("{not json"); out["bad_json"] = json.loads(await env._ws.recv())
        for call in inp["edits"]: out.setdefault("edits", []).append((await env.step({"call": call})).observation["output"])
        out["state"] = await env.state()
        out["submit"] = (await env.step({"response": "<think>done</think><function=submit></function>"})).__dict__
        out["after_done"] = await expect_error(env.step({"command": "ls"}))
        out["reset2"] = (await env.reset(seed=3)).__dict__
        out["state2"] = await env.state()
    out["http_reset"] = http("POST", "/reset", {"instance_id": inp["instance_id"]})
    out["http_step"] = http("POST", "/step", {"action": {"command": "echo stateless"}, "instance_id": inp["instance_id"]})
    out["http_step_noid"] = http("POST", "/step", {"action": {"command": "ls"}})
    out["http_state"] = http("GET", "/state")
    print(json.dumps(out))
asyncio.run(main())
`;

describe.skipIf(skip)('swe-srl serve: OpenEnv protocol (real sandboxes, a client after OpenEnv\'s EnvClient)', () => {
  let server: RunningServer;
  let task: BundledTask;

  beforeAll(async () => {
    const engine = new DockerEngine();
    const tasks = (await loadBundledTasks()).filter((t) => t.instance_id === ID);
    task = tasks[0]!;
    const sandboxes = new DockerSandboxProvider({ engine, images: new LocalImages({ engine, envs: await loadEnvRegistry() }) });
    server = await serve({ pool: new EnvPool({ sandboxes, tasks, maxEnvs: 2, ttlS: 600, stepTimeoutMs: 60_000 }), grader: new OutcomeGrader({ sandboxes, tasks }), port: 0, token: 'tok' });
  });
  afterAll(async () => server?.close());

  it('runs an episode over /openenv/ws: reset, tool calls in one shell, format errors as data, submit graded to reward 1', async () => {
    const edits = patchToEdits(task.patch).map((e) => renderCall(editCall(e, '/testbed')));
    const child = promisify(execFile)(PY, ['-c', SCRIPT], { env: { ...process.env, PYTHONPATH: ws.path ?? '' }, timeout: 400_000, maxBuffer: 16 << 20 });
    child.child.stdin!.end(JSON.stringify({ base: `http://127.0.0.1:${server.port}/openenv`, instance_id: ID, edits }));
    const r = JSON.parse((await child).stdout.trim().split('\n').pop()!);

    expect(r.health).toEqual([200, { status: 'healthy' }]);
    expect(Object.keys(r.schema[1]).sort()).toEqual(['action', 'observation', 'state']);
    expect(r.metadata[1]).toMatchObject({ name: 'swe-srl' });
    expect(r.noauth[0]).toBe(401);
    expect(r.ws_noauth).toMatch(/401/);
    expect(r.early_step).toMatch(/step before reset[\s\S]*\(code: EXECUTION_ERROR\)/);
    expect(r.reset).toMatchObject({ reward: null, done: false, observation: { output: task.problem_statement, exit_code: null, metadata: { instance_id: ID, workdir: '/testbed', episode_id: 'ep-1' } } });
    expect(r.cd.observation).toMatchObject({ exit_code: 0, format_error: null });
    expect(r.persist).toMatchObject({ done: false, reward: null, observation: { output: '/tmp\n42\n', exit_code: 0 } });
    expect(r.malformed.observation).toMatchObject({ format_error: 'missing_think', exit_code: -1 });
    expect(r.bad_param.observation.format_error).toBe('unknown_parameter');
    expect(r.invalid).toMatch(/code: VALIDATION_ERROR/);
    expect(r.unknown_type).toMatch(/Unknown message type: dance \(code: UNKNOWN_TYPE\)/);
    expect(r.bad_json).toMatchObject({ type: 'error', data: { code: 'INVALID_JSON' } });
    for (const o of r.edits) expect(o).toMatch(/has been edited|File created/);
    expect(r.state).toMatchObject({ episode_id: 'ep-1', step_count: 4 + edits.length, instance_id: ID, done: false });
    expect(r.submit).toMatchObject({ done: true, reward: 1, observation: { metadata: { grade: { status: 'resolved', resolved: true } } } });
    expect(r.submit.observation.submission).toContain('diff --git');
    expect(r.after_done).toMatch(/EXECUTION_ERROR/);
    expect(r.reset2).toMatchObject({ done: false, observation: { metadata: { instance_id: ID, step_count: 0 } } });
    expect(r.state2).toMatchObject({ step_count: 0, done: false });

    expect(r.http_reset).toEqual([200, expect.objectContaining({ reward: null, done: false })]);
    expect(r.http_step).toEqual([200, expect.objectContaining({ done: false, observation: expect.objectContaining({ output: 'stateless\n' }) })]);
    expect(r.http_step_noid[0]).toBe(400);
    expect(r.http_state).toEqual([200, expect.objectContaining({ episode_id: null, step_count: 0 })]);
    // Sessions closed with their sockets: no environment is left open.
    await new Promise((res) => setTimeout(res, 500));
    expect(await (await fetch(`http://127.0.0.1:${server.port}/health`)).json()).toMatchObject({ envs: 0 });
  }, 420_000);
});
