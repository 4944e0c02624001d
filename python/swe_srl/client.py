"""A client for ``swe-srl serve`` (docs/serve.md) on the standard library alone, for verl reward functions and
agent-loop rollout workers, TRL rollout code or your own loop.

    from swe_srl.client import ServeClient
    c = ServeClient("http://127.0.0.1:8700", token=None)
    c.reward(response, target)                      # {"reward": 0.93, "status": "ok"}
    env = c.open_env("swe-srl__textkit-1")          # an Env: .step(response=...), .diff(), .close()
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.parse
import urllib.request
from typing import Any, Dict, List, Optional


class ServeError(Exception):
    """A request the server refused or failed: the HTTP status and the server's {code, message, field, hint}."""

    def __init__(self, status: int, code: str, message: str, field: Optional[str] = None, hint: Optional[str] = None, method: str = "", path: str = ""):
        self.status = status
        self.code = code
        self.field = field
        self.hint = hint
        self.method = method
        self.path = path
        where = f" (field {field})" if field else ""
        fix = f" {hint}" if hint else ""
        super().__init__(f"{method} {path} -> {status} {code}: {message}{where}.{fix}")

    @property
    def retryable(self) -> bool:
        """Whether the same request may succeed later: too many environments, a time-out, a server fault."""
        return self.status == 429 or self.status >= 500


class ServeClient:
    """Calls one swe-srl server. ``token`` defaults to SWE_SRL_SERVE_TOKEN; ``timeout`` is per request, seconds."""

    def __init__(self, base_url: str = "http://127.0.0.1:8700", token: Optional[str] = None, timeout: float = 900.0):
        self.base_url = base_url.rstrip("/")
        self.token = token if token is not None else (os.environ.get("SWE_SRL_SERVE_TOKEN") or None)
        self.timeout = timeout

    # --- rewards and grading -------------------------------------------------------------------------------------

    def health(self) -> Dict[str, Any]:
        """{ok, tasks, envs}; needs no token."""
        return self.request("GET", "/health")

    def tasks(self) -> List[Dict[str, Any]]:
        """[{instance_id, repo}] of the tasks the server was started with."""
        return self.request("GET", "/tasks")

    def reward(self, response: str, target: str, reward: Optional[str] = None, autojunk: Optional[bool] = None) -> Dict[str, Any]:
        """{reward, status}: the SRL reward of one reply against the expert action (reward="exact" for 0/1)."""
        body: Dict[str, Any] = {"response": response, "target": target}
        if reward is not None:
            body["reward"] = reward
        if autojunk is not None:
            body["autojunk"] = autojunk
        return self.request("POST", "/reward", body)

    def outcome_reward(self, instance_id: str, response: str) -> Dict[str, Any]:
        """{reward, status, detail}: the reply's edits applied in a fresh sandbox and the task's tests run."""
        return self.request("POST", "/reward/outcome", {"instance_id": instance_id, "response": response})

    def grade(self, instance_id: str, patch: str) -> Dict[str, Any]:
        """{status, resolved, detail, seconds}: a patch graded as the harness grades it."""
        return self.request("POST", "/grade", {"instance_id": instance_id, "patch": patch})

    # --- environments --------------------------------------------------------------------------------------------

    def open_env(self, instance_id: str) -> "Env":
        """A fresh sandbox of the task with a persistent shell (reset)."""
        return Env(self, self.request("POST", "/envs", {"instance_id": instance_id}))

    def step(self, env_id: str, response: Optional[str] = None, action: Optional[str] = None) -> Dict[str, Any]:
        """Runs one whole reply (``response``: <think> + one call) or a bare call (``action``) in the environment."""
        if (response is None) == (action is None):
            raise ValueError("step takes exactly one of response= (a whole reply) or action= (a bare call)")
        body = {"response": response} if response is not None else {"action": action}
        return self.request("POST", f"/envs/{_seg(env_id)}/step", body)

    def diff(self, env_id: str) -> str:
        """The environment's working tree against the base commit, as a patch."""
        return self.request("GET", f"/envs/{_seg(env_id)}/diff")["patch"]

    def close_env(self, env_id: str) -> Dict[str, Any]:
        """Closes the environment and removes its sandbox."""
        return self.request("DELETE", f"/envs/{_seg(env_id)}")

    # --- transport -----------------------------------------------------------------------------------------------

    def request(self, method: str, path: str, body: Optional[Dict[str, Any]] = None) -> Any:
        """One JSON request; the decoded reply, or ServeError with the server's error fields."""
        data = None if body is None else json.dumps(body).encode("utf-8")
        req = urllib.request.Request(self.base_url + path, data=data, method=method)
        if data is not None:
            req.add_header("Content-Type", "application/json")
        if self.token:
            req.add_header("Authorization", f"Bearer {self.token}")
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as r:
                return json.loads(r.read().decode("utf-8"))
        except urllib.error.HTTPError as e:
            raw = e.read().decode("utf-8", "replace")
            try:
                err = json.loads(raw).get("error") or {}
            except (ValueError, AttributeError):
                err = {}
            raise ServeError(e.code, err.get("code", "http_error"), err.get("message", raw[:200] or e.reason), err.get("field"), err.get("hint"), method, path) from None
        except urllib.error.URLError as e:
            raise ServeError(0, "unreachable", f"cannot reach {self.base_url}: {e.reason}", None, "Start `swe-srl serve` or check the URL.", method, path) from None


class Env:
    """A live environment of a swe-srl server; use it as a context manager to close it on exit."""

    def __init__(self, client: ServeClient, info: Dict[str, Any]):
        self.client = client
        self.info = info
        self.env_id: str = info["env_id"]
        self.problem_statement: str = info.get("problem_statement", "")

    def step(self, response: Optional[str] = None, action: Optional[str] = None) -> Dict[str, Any]:
        return self.client.step(self.env_id, response=response, action=action)

    def diff(self) -> str:
        return self.client.diff(self.env_id)

    def close(self) -> Dict[str, Any]:
        return self.client.close_env(self.env_id)

    def __enter__(self) -> "Env":
        return self

    def __exit__(self, *exc: Any) -> None:
        try:
            self.close()
        except ServeError as e:
            if e.status != 404:  # already closed (by submit's caller or the server's ttl)
                raise


def _seg(s: str) -> str:
    return urllib.parse.quote(s, safe="")
