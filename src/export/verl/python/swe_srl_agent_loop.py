"""Multi-turn RLVR rollouts in swe-srl task sandboxes, as a verl agent loop.

Each sample opens a live environment of its task on a running `swe-srl serve` (POST /envs with the row's
extra_info.instance_id), then alternates: the policy writes one reply (<think> + one tool call), the server runs the
call (POST /envs/:id/step) and its output goes back as the next user message, until the agent submits, the turn
limit or the response budget is reached. The episode's diff is then graded (GET /envs/:id/diff, POST /grade): the
reward is 1.0 when the task's tests pass, else 0.0, handed to verl as reward_score. Policy tokens carry
response_mask 1, tool output 0, as in verl's ToolAgentLoop.

Settings come from the environment (run.sh sets them): SWE_SRL_SERVE_URL (default http://127.0.0.1:8700),
SWE_SRL_SERVE_TOKEN (bearer token, when the server has one), SWE_SRL_MAX_TURNS (default 30; the trainer config's
actor_rollout_ref.rollout.multi_turn.max_assistant_turns wins when set).

The HTTP client (SweSrlEnvClient) and the episode driver need only the standard library; the verl class is defined
only where verl is importable, so this file also imports (and its client runs) without verl.
"""

import asyncio
import json
import os
import urllib.error
import urllib.request
from uuid import uuid4


class ServeError(RuntimeError):
    """A `swe-srl serve` request failed; carries the HTTP status and the server's error code."""

    def __init__(self, status, code, message):
        super().__init__(f"swe-srl serve: {status} {code}: {message}")
        self.status = status
        self.code = code


class SweSrlEnvClient:
    """The environment routes of `swe-srl serve` (blocking; the agent loop runs them in an executor)."""

    def __init__(self, base_url=None, token=None, timeout_s=900.0):
        self.base_url = (base_url or os.environ.get("SWE_SRL_SERVE_URL") or "http://127.0.0.1:8700").rstrip("/")
        self.token = token if token is not None else (os.environ.get("SWE_SRL_SERVE_TOKEN") or None)
        self.timeout_s = timeout_s

    def _request(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.base_url + path, data=data, method=method)
        req.add_header("content-type", "application/json")
        if self.token:
            req.add_header("authorization", f"Bearer {self.token}")
        try:
            with urllib.request.urlopen(req, timeout=self.timeout_s) as r:
                return json.loads(r.read())
        except urllib.error.HTTPError as e:
            try:
                err = json.loads(e.read()).get("error", {})
            except ValueError:
                err = {}
            raise ServeError(e.code, err.get("code", "HTTP"), err.get("message", str(e))) from None

    def health(self):
        return self._request("GET", "/health")

    def open(self, instance_id):
        """A fresh sandbox of the task: {env_id, instance_id, repo, problem_statement, workdir}."""
        return self._request("POST", "/envs", {"instance_id": instance_id})

    def step(self, env_id, response):
        """Runs one policy reply: {observation, exit_code, timed_out, done, steps, submission?, format_error?}."""
        return self._request("POST", f"/envs/{env_id}/step", {"response": response})

    def diff(self, env_id):
        return self._request("GET", f"/envs/{env_id}/diff")["patch"]

    def grade(self, instance_id, patch):
        """{status, resolved, detail, seconds}: the patch applied to a fresh sandbox and the task's tests run."""
        return self._request("POST", "/grade", {"instance_id": instance_id, "patch": patch})

    def close(self, env_id):
        try:
            self._request("DELETE", f"/envs/{env_id}")
        except ServeError as e:
            if e.status != 404:  # already closed or expired: nothing to do
                raise


def max_turns(config=None):
    """actor_rollout_ref.rollout.multi_turn.max_assistant_turns when set, else SWE_SRL_MAX_TURNS (default 30)."""
    try:
        configured = config.actor_rollout_ref.rollout.multi_turn.max_assistant_turns
    except (AttributeError, KeyError):
        configured = None
    return int(configured) if configured else int(os.environ.get("SWE_SRL_MAX_TURNS", "30"))


def instance_id_of(kwargs):
    """The task of a verl dataset row: extra_info.instance_id (swe-srl srl build writes it)."""
    extra = kwargs.get("extra_info") or {}
    instance_id = extra.get("instance_id") if isinstance(extra, dict) else None
    if not instance_id:
        raise ValueError("the row has no extra_info.instance_id: use the Parquet `swe-srl srl build` writes")
    return instance_id


async def finish(client, env_id, instance_id):
    """Grades the environment's diff and closes it; returns (reward, grade)."""
    loop = asyncio.get_running_loop()
    try:
        patch = await loop.run_in_executor(None, client.diff, env_id)
        if not patch.strip():
            return 0.0, {"status": "no_change", "resolved": False}
        grade = await loop.run_in_executor(None, client.grade, instance_id, patch)
        return (1.0 if grade.get("resolved") else 0.0), grade
    finally:
        await loop.run_in_executor(None, client.close, env_id)


try:
    from verl.experimental.agent_loop.agent_loop import AgentLoopBase, AgentLoopOutput, register
except ImportError:  # verl absent: the client above still works
    AgentLoopBase = None

if AgentLoopBase is not None:

    @register("swe_srl_env")
    class SweSrlEnvAgentLoop(AgentLoopBase):
        """One episode in a swe-srl sandbox per sample; reward_score is the graded outcome (1 resolved, 0 not)."""

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.response_length = self.config.actor_rollout_ref.rollout.response_length
            self.client = SweSrlEnvClient()
            self.max_turns = max_turns(self.config)

        async def run(self, sampling_params, **kwargs):
            loop = asyncio.get_running_loop()
            instance_id = instance_id_of(kwargs)
            messages = list(kwargs["raw_prompt"])
            env = await loop.run_in_executor(None, self.client.open, instance_id)
            env_id = env["env_id"]
            request_id = uuid4().hex
            response_ids, response_mask, logprobs = [], [], []
            turns, submitted, format_errors = 0, False, 0
            try:
                prompt_ids = await self.apply_chat_template(messages)
                while turns < self.max_turns and len(response_ids) < self.response_length:
                    out = await self.server_manager.generate(
                        request_id=request_id, prompt_ids=prompt_ids + response_ids, sampling_params=sampling_params
                    )
                    turns += 1
                    response_ids += out.token_ids
                    response_mask += [1] * len(out.token_ids)
                    logprobs += out.log_probs if out.log_probs else [0.0] * len(out.token_ids)
                    text = self.tokenizer.decode(out.token_ids, skip_special_tokens=True)
                    step = await loop.run_in_executor(None, self.client.step, env_id, text)
                    format_errors += 1 if step.get("format_error") else 0
                    if step["done"]:
                        submitted = True
                        break
                    if len(response_ids) >= self.response_length:
                        break
                    obs_ids = await self.apply_chat_template(
                        [{"role": "user", "content": step["observation"]}], remove_system_prompt=True
                    )
                    response_ids += obs_ids
                    response_mask += [0] * len(obs_ids)
                    logprobs += [0.0] * len(obs_ids)
            except BaseException:
                await loop.run_in_executor(None, self.client.close, env_id)
                raise
            reward, grade = await finish(self.client, env_id, instance_id)
            n = self.response_length
            return AgentLoopOutput(
                prompt_ids=prompt_ids,
                response_ids=response_ids[:n],
                response_mask=response_mask[:n],
                response_logprobs=logprobs[:n],
                reward_score=reward,
                num_turns=2 * turns,
                metrics={},
                extra_fields={
                    "swe_srl_submitted": submitted,
                    "swe_srl_format_errors": format_errors,
                    "swe_srl_grade_status": grade.get("status"),
                },
            )
