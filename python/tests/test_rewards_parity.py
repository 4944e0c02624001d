"""The Python reward against the TypeScript scorer (`swe-srl srl score`) on the same replies: well-formed ones,
malformed ones of every reason the TypeScript parser knows, whitespace that JavaScript and Python disagree on,
unicode, long actions and random mutations. Rewards and reason codes must be identical."""

from __future__ import annotations

import json
import random
import tempfile
import unittest
from pathlib import Path

from swe_srl.response import RESPONSE_ERROR_REASONS
from swe_srl.rewards import score_response, srl_reward
from swe_srl.verl import compute_score

from _support import cli

BASH_LS = "<function=bash>\n<parameter=command>ls</parameter>\n</function>"
VIEW = "<function=str_replace_editor>\n<parameter=command>view</parameter>\n<parameter=path>/testbed/src/a.py</parameter>\n</function>"
EDIT = (
    "<function=str_replace_editor>\n<parameter=command>str_replace</parameter>\n<parameter=path>/testbed/a.py</parameter>\n"
    "<parameter=old_str>x = 1</parameter>\n<parameter=new_str>x = 2</parameter>\n</function>"
)
SUBMIT = "<function=submit>\n</function>"
LONG = "<function=bash>\n<parameter=command>" + "; ".join(f"echo line{i} >> /tmp/ééé_{i % 7}" for i in range(400)) + "</parameter>\n</function>"
TARGETS = [BASH_LS, VIEW, EDIT, SUBMIT, LONG]


def think(call: str, thought: str = "plan") -> str:
    return f"<think>{thought}</think>\n{call}"


def hand_made() -> list:
    """(response, target index) pairs chosen to reach every branch of the parser."""
    cases = [
        (think(BASH_LS), 0),
        (think("<function=bash><parameter=command>ls -la</parameter></function>"), 0),
        (think("<function= bash >\n<parameter= command >ls</parameter>\n</function>"), 0),
        (think(VIEW), 1),
        (think("<function=str_replace_editor><parameter=path>/testbed/src/a.py</parameter><parameter=command> view </parameter></function>"), 1),
        (think("<function=str_replace_editor><parameter=command>view</parameter><parameter=path>/x</parameter><parameter=view_range>[1, -1]</parameter></function>"), 1),
        (think(EDIT), 2),
        (think(SUBMIT), 3),
        (think(LONG), 4),
        (think(LONG.replace("line1", "line9")), 4),
        ("  \n\t" + think(BASH_LS) + "\n\n  ", 0),
        ("<think>mentions <function=bash> and <think> freely</think>" + BASH_LS, 0),
        # malformed, one per reason and then some
        ("", 0),
        ("  \n\t ", 0),
        ("\u3000\ufeff", 0),
        ("no think " + BASH_LS, 0),
        ("text <think>x</think>" + BASH_LS, 0),
        ("<think>never closed " + BASH_LS, 0),
        ("<think>a</think> \n<think>b</think>" + BASH_LS, 0),
        ("<think>a</think>", 0),
        ("<think>a</think> just prose", 0),
        ("<think>a</think> prose " + BASH_LS, 0),
        ("<think>a</think><function=bash", 0),
        ("<think>a</think><function=bash\n>x</function>", 0),
        ("<think>a</think><function=bash><parameter=command>ls", 0),
        ("<think>a</think><function=bash><parameter=command\n>ls</parameter></function>", 0),
        ("<think>a</think><function=bash><parameter=command>ls</parameter>", 0),
        ("<think>a</think><function=bash>stray<parameter=command>ls</parameter></function>", 0),
        ("<think>a</think><function=bash><function=bash></function>", 0),
        ("<think>a</think><function=python><parameter=code>1</parameter></function>", 0),
        ("<think>a</think><function=bash><parameter=cmd>ls</parameter></function>", 0),
        ("<think>a</think><function=bash><parameter=__proto__>ls</parameter></function>", 0),
        ("<think>a</think><function=bash><parameter=command>ls</parameter><parameter=command>pwd</parameter></function>", 0),
        ("<think>a</think><function=bash></function>", 0),
        ("<think>a</think><function=str_replace_editor><parameter=command>create</parameter><parameter=path>/a</parameter></function>", 1),
        ("<think>a</think><function=str_replace_editor><parameter=command>insert</parameter><parameter=path>/a</parameter><parameter=new_str>x</parameter></function>", 1),
        ("<think>a</think><function=str_replace_editor><parameter=command>delete</parameter><parameter=path>/a</parameter></function>", 1),
        ("<think>a</think><function=str_replace_editor><parameter=command>insert</parameter><parameter=path>/a</parameter><parameter=insert_line>x</parameter><parameter=new_str>y</parameter></function>", 1),
        ("<think>a</think><function=str_replace_editor><parameter=command>insert</parameter><parameter=path>/a</parameter><parameter=insert_line>3\n</parameter><parameter=new_str>y</parameter></function>", 1),
        ("<think>a</think><function=str_replace_editor><parameter=command>insert</parameter><parameter=path>/a</parameter><parameter=insert_line>\u0663</parameter><parameter=new_str>y</parameter></function>", 1),
        ("<think>a</think><function=str_replace_editor><parameter=command>view</parameter><parameter=path>/a</parameter><parameter=view_range>[1,2,3]</parameter></function>", 1),
        ("<think>a</think><function=str_replace_editor><parameter=command>view</parameter><parameter=path>/a</parameter><parameter=view_range>[\u00a01 ,\u20292 ]</parameter></function>", 1),
        ("<think>a</think>" + BASH_LS + BASH_LS, 0),
        ("<think>a</think>" + BASH_LS + " trailing words", 0),
        # whitespace JavaScript and Python disagree on: U+FEFF is JS whitespace, U+001C..U+001F and U+0085 are not
        ("\ufeff" + think(BASH_LS), 0),
        ("\x1c" + think(BASH_LS), 0),
        ("\x85" + think(BASH_LS), 0),
        (think(BASH_LS) + "\x1f", 0),
        (think(BASH_LS) + "\ufeff\u2028\u3000", 0),
        ("<think>a</think>\x1e" + BASH_LS, 0),
        ("<think>a</think>\ufeff" + BASH_LS, 0),
        ("<think>a</think><function=bash>\x85<parameter=command>ls</parameter></function>", 0),
        ("<think>a</think><function=bash>\u00a0<parameter=command>ls</parameter>\u200a</function>", 0),
        ("<think>a</think><function=\u2003bash\u3000><parameter=\ufeffcommand\x1c>ls</parameter></function>", 0),
        ("<think>a</think><function=str_replace_editor><parameter=command>view\x1f</parameter><parameter=path>/a</parameter></function>", 1),
        ("<think>a</think><function=str_replace_editor><parameter=command>\ufeffview</parameter><parameter=path>/a</parameter></function>", 1),
        # unicode
        (think("<function=bash><parameter=command>echo 'héllo wörld ✓ 🚀🚀 中文'</parameter></function>", "思考 🤔"), 0),
        (think("<function=bash><parameter=command>echo 🚀" + "\u0301" * 3 + "</parameter></function>"), 0),
        (think("<function=bash><parameter=command>echo \ud800 lone</parameter></function>"), 0),
        (think("<function=bash><parameter=command>grep -rn 'é' .</parameter></function>"), 4),
    ]
    return cases


def mutations(rng: random.Random, n: int) -> list:
    """Random edits of well-formed replies: deletions, insertions of tag pieces and whitespace, swaps."""
    pieces = ["<", ">", "</", "<think>", "</think>", "<function=", "</function>", "<parameter=", "</parameter>", "\n", " ",
              "\u00a0", "\ufeff", "\x85", "bash", "command", "view", "é", "🚀", "[1, 2]", "7"]
    out = []
    for _ in range(n):
        ti = rng.randrange(len(TARGETS) - 1)
        s = think(TARGETS[ti], rng.choice(["", "x", "look at <function=bash>"]))
        for _ in range(rng.randint(1, 3)):
            i = rng.randrange(len(s) + 1)
            op = rng.random()
            if op < 0.4:
                s = s[:i] + s[i + rng.randint(1, 12) :]
            elif op < 0.8:
                s = s[:i] + rng.choice(pieces) + s[i:]
            else:
                j = rng.randrange(len(s) + 1)
                a, b = sorted((i, j))
                s = s[b:] + s[a:b] + s[:a]
        out.append((s, rng.randrange(len(TARGETS)) if rng.random() < 0.3 else ti))
    return out


class RewardParityTest(unittest.TestCase):
    maxDiff = None

    def score_with_typescript(self, cases: list, autojunk: bool) -> list:
        with tempfile.TemporaryDirectory() as d:
            ex, comp, rows = Path(d, "ex.jsonl"), Path(d, "comp.jsonl"), Path(d, "rows.jsonl")
            ex.write_text("".join(json.dumps({"id": f"t{i}", "target": t}) + "\n" for i, t in enumerate(TARGETS)))
            comp.write_text("".join(json.dumps({"id": f"t{ti}", "response": r}) + "\n" for r, ti in cases))
            args = ["srl", "score", "--examples", str(ex), "--completions", str(comp), "--out", str(rows), "--json"]
            cli(args + (["--autojunk"] if autojunk else []))
            return [json.loads(line) for line in rows.read_text().splitlines()]

    def test_identical_rewards_and_reasons(self):
        cases = hand_made() + mutations(random.Random(7), 400)
        ts = self.score_with_typescript(cases, autojunk=False)
        self.assertEqual(len(ts), len(cases))
        mismatches = []
        for (response, ti), row in zip(cases, ts):
            py = score_response(response, TARGETS[ti])
            if (py.reward, py.status) != (row["reward"], row["status"]):
                mismatches.append((response, TARGETS[ti][:40], (py.reward, py.status), (row["reward"], row["status"])))
        self.assertEqual(mismatches, [])
        statuses = {row["status"] for row in ts}
        # Every reason the TypeScript parser knows occurs, and well-formed replies score strictly between 0 and 1 too.
        self.assertEqual(sorted(set(RESPONSE_ERROR_REASONS) - statuses), [])
        self.assertTrue(any(0 < row["reward"] < 1 for row in ts))
        # The TRL and verl entry points give the same numbers.
        rewards = srl_reward([r for r, _ in cases], target=[TARGETS[ti] for _, ti in cases])
        self.assertEqual(rewards, [row["reward"] for row in ts])
        self.assertEqual(compute_score("swe-srl/swe-srl", cases[9][0], TARGETS[cases[9][1]]), ts[9]["reward"])

    def test_identical_with_autojunk(self):
        # Long actions (200+ code points) are where autojunk changes the ratio.
        cases = [(think(LONG.replace("line1", "line9")), 4), (think(LONG[:1500] + "</parameter></function>"), 4), (think(BASH_LS), 4)]
        ts = self.score_with_typescript(cases, autojunk=True)
        py = [score_response(r, TARGETS[ti], autojunk=True).reward for r, ti in cases]
        self.assertEqual(py, [row["reward"] for row in ts])
        self.assertNotEqual(py[0], score_response(cases[0][0], TARGETS[4]).reward)


class TrlSignatureTest(unittest.TestCase):
    def test_conversational_completions_and_extra_columns(self):
        conv = [[{"role": "assistant", "content": think(BASH_LS)}], [{"role": "assistant", "content": "oops"}]]
        self.assertEqual(srl_reward(conv, target=[BASH_LS, BASH_LS], prompts=[[], []], trainer_state=None), [1.0, -1.0])

    def test_missing_target_says_what_to_do(self):
        with self.assertRaisesRegex(ValueError, "target"):
            srl_reward(["x"])


if __name__ == "__main__":
    unittest.main()
