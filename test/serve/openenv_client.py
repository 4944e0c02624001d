"""A small OpenEnv client for tests, written to follow OpenEnv's published client (openenv/core/env_client.py):
the base URL becomes ws(s)://.../ws, every message is {"type": ..., "data": ...} JSON, an {"type": "error"} reply
raises, and reset/step results are {observation, reward, done}. Needs the `websockets` package, as OpenEnv does."""

import json
from dataclasses import dataclass
from typing import Any, Optional

from websockets.asyncio.client import connect as ws_connect


def convert_to_ws_url(url: str) -> str:
    ws_url = url.rstrip("/")
    if ws_url.startswith("http://"):
        return "ws://" + ws_url[7:]
    if ws_url.startswith("https://"):
        return "wss://" + ws_url[8:]
    return ws_url if ws_url.startswith(("ws://", "wss://")) else "ws://" + ws_url


@dataclass
class StepResult:
    observation: dict
    reward: Optional[float]
    done: bool


class EnvClient:
    def __init__(self, base_url: str, connect_timeout_s: float = 10.0, message_timeout_s: float = 600.0, headers: Optional[dict] = None):
        self._ws_url = f"{convert_to_ws_url(base_url)}/ws"
        self._connect_timeout = connect_timeout_s
        self._message_timeout = message_timeout_s
        self._headers = headers
        self._ws = None

    async def connect(self) -> "EnvClient":
        if self._ws is None:
            self._ws = await ws_connect(self._ws_url, open_timeout=self._connect_timeout, max_size=100 * 1024 * 1024, additional_headers=self._headers)
        return self

    async def _send_and_receive(self, message: dict) -> dict:
        await self._ws.send(json.dumps(message))
        import asyncio

        response = json.loads(await asyncio.wait_for(self._ws.recv(), timeout=self._message_timeout))
        if response.get("type") == "error":
            data = response.get("data", {})
            raise RuntimeError(f"Server error: {data.get('message', 'Unknown error')} (code: {data.get('code', 'UNKNOWN')})")
        return response

    def _parse_result(self, payload: dict) -> StepResult:
        return StepResult(observation=payload.get("observation", {}), reward=payload.get("reward"), done=payload.get("done", False))

    async def reset(self, **kwargs: Any) -> StepResult:
        return self._parse_result((await self._send_and_receive({"type": "reset", "data": kwargs})).get("data", {}))

    async def step(self, action: dict) -> StepResult:
        return self._parse_result((await self._send_and_receive({"type": "step", "data": action})).get("data", {}))

    async def state(self) -> dict:
        return (await self._send_and_receive({"type": "state"})).get("data", {})

    async def close(self) -> None:
        if self._ws is not None:
            try:
                await self._ws.send(json.dumps({"type": "close"}))
            except Exception:
                pass
            await self._ws.close()
            self._ws = None

    async def __aenter__(self) -> "EnvClient":
        return await self.connect()

    async def __aexit__(self, *exc) -> None:
        await self.close()
