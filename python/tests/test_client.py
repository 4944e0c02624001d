"""swe_srl.client against a real `swe-srl serve` started from the checkout (a child process, as a trainer would run
it): the reward routes, the bearer token, and the error replies of the grading and environment routes."""

from __future__ import annotations

import re
import secrets
import subprocess
import threading
import time
import unittest

from swe_srl.client import ServeClient, ServeError
from swe_srl.rewards import score_response

from _support import NODE, ROOT

TARGET = "<function=bash>\n<parameter=command>ls -la /testbed</parameter>\n</function>"


def docker_missing() -> str:
    try:
        subprocess.run(["docker", "version"], capture_output=True, timeout=30, check=True)
        return ""
    except (OSError, subprocess.SubprocessError):
        return "no Docker engine (swe-srl serve opens one to start)"


class ServeClientTest(unittest.TestCase):
    server: subprocess.Popen
    out: str = ""

    @classmethod
    def setUpClass(cls):
        why = docker_missing()
        if why:
            raise unittest.SkipTest(why)
        cls.token = secrets.token_hex(8)
        cls.server = subprocess.Popen(
            [NODE, str(ROOT / "bin" / "swe-srl.js"), "serve", "--port", "0", "--token", cls.token, "--max-envs", "1", "-q"],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )
        lines: list = []
        threading.Thread(target=lambda: [lines.append(l) for l in cls.server.stdout], daemon=True).start()
        deadline = time.time() + 240
        port = None
        while time.time() < deadline and port is None:
            m = re.search(r"on http://[^:]+:(\d+)", "".join(lines))
            if m:
                port = int(m.group(1))
            elif cls.server.poll() is not None:
                break
            time.sleep(0.2)
        if port is None:
            cls.server.kill()
            raise AssertionError(f"swe-srl serve did not start:\n{''.join(lines)}")
        cls.url = f"http://127.0.0.1:{port}"
        cls.client = ServeClient(cls.url, token=cls.token, timeout=60)

    @classmethod
    def tearDownClass(cls):
        if getattr(cls, "server", None) is not None and cls.server.poll() is None:
            cls.server.terminate()
            try:
                cls.server.wait(timeout=60)
            except subprocess.TimeoutExpired:
                cls.server.kill()

    def test_rewards_match_the_local_scorer(self):
        replies = [
            f"<think>list it</think>\n{TARGET}",
            "<think>x</think><function=bash><parameter=command>ls /testbed</parameter></function>",
            "<think>x</think><function=bash><parameter=command>echo 🚀 é</parameter></function>",
            "no think at all",
            "<think>x</think><function=bash></function>",
        ]
        for reply in replies:
            got = self.client.reward(reply, TARGET)
            local = score_response(reply, TARGET)
            self.assertEqual((got["reward"], got["status"]), (local.reward, local.status), reply)
        self.assertEqual(self.client.reward(replies[0], TARGET)["reward"], 1)
        self.assertEqual(self.client.reward(replies[3], TARGET)["status"], "missing_think")

    def test_health_and_tasks(self):
        self.assertTrue(ServeClient(self.url).health()["ok"])  # /health needs no token
        ids = [t["instance_id"] for t in self.client.tasks()]
        self.assertIn("swe-srl__textkit-1", ids)

    def test_errors_carry_status_code_and_field(self):
        with self.assertRaises(ServeError) as e:
            ServeClient(self.url, token="wrong").reward("r", TARGET)
        self.assertEqual((e.exception.status, e.exception.code), (401, "unauthorized"))
        self.assertFalse(e.exception.retryable)
        with self.assertRaises(ServeError) as e:
            self.client.request("POST", "/reward", {"target": TARGET})
        self.assertEqual((e.exception.status, e.exception.field), (400, "response"))
        for call in (
            lambda: self.client.grade("no-such-task", "diff"),
            lambda: self.client.diff("no-such-env"),
            lambda: self.client.step("no-such-env", action=TARGET),
            lambda: self.client.close_env("no-such-env"),
            lambda: self.client.open_env("no-such-task"),
        ):
            with self.assertRaises(ServeError) as e:
                call()
            self.assertEqual(e.exception.status, 404, str(e.exception))
        with self.assertRaises(ValueError):
            self.client.step("x")
        with self.assertRaises(ServeError) as e:
            ServeClient("http://127.0.0.1:9", timeout=5).health()
        self.assertEqual(e.exception.code, "unreachable")


if __name__ == "__main__":
    unittest.main()
