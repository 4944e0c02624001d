"""DynamicSamplingGRPOTrainer trains a tiny random Qwen2 model (`swe-srl policy make-test-model`) on SRL step
examples from our TRL export (`swe-srl srl build` on the expert trajectories in test/fixtures) for a few steps on
the CPU, and the filter and the refill are seen at work: groups with equal rewards are dropped, fresh prompts are
drawn, and the batch handed to the optimizer stays full.

A random model cannot write a well-formed reply, so srl_reward gives -1 to every completion and every group has
zero spread. A second, probe reward spreads the rewards of the groups of about half of the examples (those of
odd-numbered steps) by a hash of the completion text; the other groups stay flat and must be dropped.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
import time
import unittest
import zlib
from pathlib import Path

from _support import cli

try:
    import torch  # noqa: F401
    import trl  # noqa: F401
    from datasets import Dataset

    MISSING = ""
except ImportError as e:  # the worker venv has them; a bare Python does not
    MISSING = f"TRL, torch or datasets not importable: {e}"


def spread_probe(completions, id, **kwargs):
    """Rewards that differ between completions only for examples of odd-numbered steps."""
    from swe_srl.rewards import completion_text

    out = []
    for c, example_id in zip(completions, id):
        step = int(example_id.rsplit("/", 1)[1])
        out.append((zlib.crc32(completion_text(c).encode("utf-8")) % 5) / 10 if step % 2 else 0.0)
    return out


@unittest.skipIf(MISSING, MISSING)
class DynamicSamplingTrainerTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        d = Path(cls.tmp.name)
        cli(["srl", "build", "--trajectories", "test/fixtures/trajectories", "--out", str(d / "steps.jsonl"),
             "--context-steps", "1", "--max-prompt-chars", "3000"])
        cli(["policy", "make-test-model", "--out", str(d / "model"), "--layers", "1", "--hidden", "32"])
        cls.rows = [json.loads(l) for l in (d / "steps.trl.jsonl").read_text().splitlines()]

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_filters_refills_and_keeps_the_batch_full(self):
        from trl import GRPOConfig
        from swe_srl.rewards import srl_reward
        from swe_srl.trl import DynamicSamplingGRPOTrainer

        torch.set_num_threads(2)
        d = Path(self.tmp.name)
        self.assertTrue(all(r["target"] == r["completion"][0]["content"] for r in self.rows))
        # The columns GRPO uses: conversational prompt, the expert action as `target`, the id for the probe.
        train = Dataset.from_list([{"prompt": r["prompt"], "target": r["target"], "id": r["id"]} for r in self.rows])
        args = GRPOConfig(
            output_dir=str(d / "out"), max_steps=3, per_device_train_batch_size=6, num_generations=2,
            max_completion_length=6, learning_rate=1e-3, logging_steps=1, save_strategy="no", report_to=[],
            use_cpu=True, seed=3, dataloader_num_workers=0, disable_tqdm=True,
        )
        batches = []

        class Recording(DynamicSamplingGRPOTrainer):
            def _generate_and_score_completions(self, inputs):
                out = super()._generate_and_score_completions(inputs)
                batches.append(out)
                return out

        trainer = Recording(
            model=str(d / "model"), reward_funcs=[srl_reward, spread_probe], args=args, train_dataset=train,
            epsilon=1e-3, max_resample_tries=6,
        )
        started = time.time()
        trainer.train()
        seconds = time.time() - started

        history = trainer.dynamic_sampling_history
        self.assertEqual(len(history), 3)
        for h in history:
            self.assertEqual(h.groups_needed, 3)
            self.assertEqual(h.rows, 6, h)  # the batch is full on every step
            self.assertLessEqual(h.tries, 6)
        # The filter dropped groups and the refill drew new prompts, and it filled a batch with kept groups only.
        self.assertTrue(any(h.groups_kept < h.groups_generated for h in history), history)
        self.assertTrue(any(h.tries > 1 for h in history), history)
        self.assertTrue(any(h.tries > 1 and h.groups_filled == 0 for h in history), history)
        # What the optimizer got: full batches, re-padded consistently, and (nothing filled) no group without signal.
        for h, b in zip(history, batches):
            self.assertEqual(b["prompt_ids"].shape[0], 6)
            self.assertEqual(b["prompt_ids"].shape, b["prompt_mask"].shape)
            self.assertEqual(b["completion_ids"].shape, b["completion_mask"].shape)
            self.assertEqual(int(b["num_items_in_batch"]), int(b["completion_mask"].sum()))
            if h.groups_filled == 0:
                groups = b["advantages"].view(-1, 2)
                self.assertTrue(bool((groups.abs().sum(dim=1) > 0).all()), groups)

        # With one try allowed, a batch short of kept groups is topped up with the rejected ones to stay full.
        trainer.max_resample_tries = 1
        trainer.model.train()
        while not (trainer.dynamic_sampling_history[-1].groups_filled > 0):
            trainer._generate_and_score_completions(trainer._draw_groups(3))
            self.assertLess(len(trainer.dynamic_sampling_history), 12, "no batch with a flat group in 9 draws")
        last = trainer.dynamic_sampling_history[-1]
        self.assertEqual((last.tries, last.rows, last.groups_kept + last.groups_filled), (1, 6, 3))

        logs = [l for l in trainer.state.log_history if "dynamic_sampling/kept_fraction" in l]
        self.assertEqual(len(logs), 3)
        self.assertTrue(any(l["dynamic_sampling/kept_fraction"] < 1 for l in logs), logs)
        self.assertTrue(all(l["dynamic_sampling/tries"] >= 1 for l in logs))
        self.assertTrue(all(l["rewards/srl_reward/mean"] == -1 for l in logs), logs)  # a random model: all malformed
        self.assertTrue(all(math.isfinite(l["loss"]) for l in logs if "loss" in l))
        print(f"\n[dynamic sampling] {seconds:.1f} s for 3 steps; generations: " + "; ".join(
            f"tries {h.tries}, kept {h.groups_kept}/{h.groups_generated}, filled {h.groups_filled}" for h in history))

    def test_bad_arguments_say_what_is_allowed(self):
        from swe_srl.trl import DynamicSamplingGRPOTrainer

        with self.assertRaisesRegex(ValueError, "epsilon must be >= 0"):
            DynamicSamplingGRPOTrainer(model="unused", epsilon=-1)
        with self.assertRaisesRegex(ValueError, "max_resample_tries"):
            DynamicSamplingGRPOTrainer(model="unused", max_resample_tries=0)


if __name__ == "__main__":
    unittest.main()
