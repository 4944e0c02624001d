// The verl agent loop module against a real `swe-srl serve` on a bundled task in real sandboxes: its HTTP client
// without verl, then the AgentLoop class itself, with verl's base class stubbed by the interface it has in verl
// (AgentLoopBase, AgentLoopOutput, register) and a scripted policy that fixes the task and submits.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEnvRegistry } from '../../src/config/envs.ts';
import { PYTHON_DIR } from '../../src/export/verl/write.ts';
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

const ID = 'swe-srl__textkit-1';
const PY = defaultPython();
const skip = dockerSkipReason ?? (existsSync(PY) ? undefined : `no Python at ${PY}`);

// Runs Python with the export's python/ folder importable; stdin is JSON, stdout the last line's JSON.
async function py(script: string, input: unknown, env: Record<string, string>): Promise<any> {
  const child = promisify(execFile)(PY, ['-c', script], { env: { ...process.env, PYTHONPATH: PYTHON_DIR, ...env }, timeout: 240_000, maxBuffer: 16 << 20 });
  child.child.stdin!.end(JSON.stringify(input));
  const { stdout } = await child;
  return JSON.parse(stdout.trim().split('\n').pop()!);
}

const CLIENT = `
import json, sys, swe_srl_agent_loop as m
assert m.AgentLoopBase is None  # verl is absent here: only the client
c = m.SweSrlEnvClient()
env = c.open(json.load(sys.stdin)["instance_id"])
step = c.step(env["env_id"], "<think>look</think><function=bash><parameter=command>echo hi</parameter></function>")
bad = c.step(env["env_id"], "no think")
c.close(env["env_id"]); c.close(env["env_id"])  # a second close is a no-op
try:
    c.step(env["env_id"], "x"); err = None
except m.ServeError as e:
    err = [e.status, e.code]
print(json.dumps({"health": c.health(), "env": env, "step": step, "bad": bad, "err": err}))
`;

// verl's agent-loop interface as verl/experimental/agent_loop/agent_loop.py defines it, reduced to what the loop uses.
const AGENT = `
import asyncio, json, sys, types
from types import SimpleNamespace as NS
registry = {}
class AgentLoopBase:
    def __init__(self, trainer_config, server_manager, tokenizer, processor, dataset_cls, dataset_config, **kw):
        self.config, self.server_manager, self.tokenizer = trainer_config.config, server_manager, tokenizer
    async def apply_chat_template(self, messages, tools=None, images=None, videos=None, remove_system_prompt=False):
        return self.tokenizer.encode("".join(f"<|{m['role']}|>{m['content']}" for m in messages) + "<|assistant|>")
class AgentLoopOutput:
    def __init__(self, **kw): self.__dict__.update(kw)
def register(name):
    def deco(cls):
        registry[name] = {"_target_": f"{cls.__module__}.{cls.__qualname__}"}
        return cls
    return deco
mod = types.ModuleType("verl.experimental.agent_loop.agent_loop")
mod.AgentLoopBase, mod.AgentLoopOutput, mod.register = AgentLoopBase, AgentLoopOutput, register
for name in ["verl", "verl.experimental", "verl.experimental.agent_loop"]:
    sys.modules[name] = types.ModuleType(name)
sys.modules[mod.__name__] = mod
class Tok:
    def encode(self, s): return [ord(ch) for ch in s]
    def decode(self, ids, skip_special_tokens=True): return "".join(chr(i) for i in ids)
inp = json.load(sys.stdin)
class Server:
    def __init__(self): self.replies, self.prompts = list(inp["replies"]), []
    async def generate(self, request_id, *, prompt_ids, sampling_params, image_data=None, video_data=None):
        self.prompts.append(len(prompt_ids))
        text = self.replies.pop(0)
        return NS(token_ids=[ord(ch) for ch in text], log_probs=None, num_preempted=None)
import swe_srl_agent_loop as m
assert registry["swe_srl_env"]["_target_"] == "swe_srl_agent_loop.SweSrlEnvAgentLoop"
server = Server()
config = NS(actor_rollout_ref=NS(rollout=NS(response_length=200000, multi_turn=NS(max_assistant_turns=inp.get("max_turns")))))
loop = m.SweSrlEnvAgentLoop(trainer_config=NS(config=config), server_manager=server, tokenizer=Tok(), processor=None, dataset_cls=None, dataset_config=NS(config={}))
out = asyncio.run(loop.run({"temperature": 1.0}, raw_prompt=[{"role": "user", "content": "fix it"}], extra_info={"instance_id": inp["instance_id"]}))
mask = out.response_mask
print(json.dumps({"reward": out.reward_score, "turns": out.num_turns, "extra": out.extra_fields, "policy_tokens": sum(mask),
  "tool_tokens": len(mask) - sum(mask), "lengths_match": len(mask) == len(out.response_ids) == len(out.response_logprobs),
  "prompts_grow": server.prompts == sorted(server.prompts) and len(set(server.prompts)) == len(server.prompts), "left": len(server.replies)}))
`;

describe.skipIf(skip)('verl agent loop (swe_srl_agent_loop.py) on a real swe-srl serve', () => {
  let server: RunningServer;
  let task: BundledTask;
  let env: Record<string, string>;

  beforeAll(async () => {
    const engine = new DockerEngine();
    const tasks = (await loadBundledTasks()).filter((t) => t.instance_id === ID);
    task = tasks[0]!;
    const sandboxes = new DockerSandboxProvider({ engine, images: new LocalImages({ engine, envs: await loadEnvRegistry() }) });
    server = await serve({ pool: new EnvPool({ sandboxes, tasks, maxEnvs: 2, ttlS: 600, stepTimeoutMs: 60_000 }), grader: new OutcomeGrader({ sandboxes, tasks }), port: 0, token: 'tok' });
    env = { SWE_SRL_SERVE_URL: `http://127.0.0.1:${server.port}`, SWE_SRL_SERVE_TOKEN: 'tok', SWE_SRL_MAX_TURNS: '10' };
  });
  afterAll(async () => server?.close());

  it('imports without verl and drives an environment through its client (bearer token sent)', async () => {
    const r = await py(CLIENT, { instance_id: ID }, env);
    expect(r.health).toMatchObject({ ok: true, tasks: 1 });
    expect(r.env).toMatchObject({ instance_id: ID, workdir: '/testbed' });
    expect(r.step).toMatchObject({ observation: 'hi\n', exit_code: 0, done: false });
    expect(r.bad).toMatchObject({ format_error: 'missing_think', done: false });
    expect(r.err).toEqual([404, 'unknown_env']);
  }, 240_000);

  it('runs an episode as verl\'s AgentLoop: edits, a malformed reply, submit; the graded outcome is the reward', async () => {
    const edits = patchToEdits(task.patch).map((e) => `<think>edit</think>\n${renderCall(editCall(e, '/testbed'))}`);
    const replies = ['<think>look</think><function=bash><parameter=command>ls</parameter></function>', 'oops', ...edits, '<think>done</think><function=submit></function>', 'never used'];
    const r = await py(AGENT, { instance_id: ID, replies }, env);
    expect(r).toMatchObject({ reward: 1, turns: 2 * (replies.length - 1), left: 1, lengths_match: true, prompts_grow: true });
    expect(r.extra).toEqual({ swe_srl_submitted: true, swe_srl_format_errors: 1, swe_srl_grade_status: 'resolved' });
    expect(r.policy_tokens).toBe(replies.slice(0, -1).join('').length);
    expect(r.tool_tokens).toBeGreaterThan(0);
    expect(server.server.listening).toBe(true);
  }, 300_000);

  it('stops at the config\'s max_assistant_turns and still grades and closes', async () => {
    const look = '<think>look</think><function=bash><parameter=command>ls</parameter></function>';
    const r = await py(AGENT, { instance_id: ID, replies: [look, look, look, look], max_turns: 2 }, env);
    expect(r).toMatchObject({ reward: 0, turns: 4, left: 2, extra: { swe_srl_submitted: false, swe_srl_grade_status: 'no_change' } });
  }, 240_000);

  it('an episode that changes nothing scores 0 and leaves no environment open', async () => {
    const r = await py(AGENT, { instance_id: ID, replies: ['<think>give up</think><function=submit></function>'] }, env);
    expect(r).toMatchObject({ reward: 0, turns: 2, extra: { swe_srl_submitted: true, swe_srl_grade_status: 'no_change' } });
    const health = await (await fetch(`http://127.0.0.1:${server.port}/health`)).json();
    expect(health).toMatchObject({ envs: 0 });
  }, 240_000);
});
