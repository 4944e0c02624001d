"""TRL's GRPOTrainer on SRL step examples with the project's SRL reward: the TRL half of bench/trl-compare.bench.ts.

python bench/trl-grpo.py --model DIR --data steps.trl.jsonl --out result.json --steps S --batch B --n G
    --max-new-tokens T --lr LR --seed N --reward-cmd '["node", "bin/run-ts.js", "bench/srl-reward-lines.ts"]'

Data lines: {"prompt": [chat messages], "target": expert action, "id"}. The reward of a completion is scored by the
command in --reward-cmd (one JSON line in, one out), so both trainers score with the same code. The settings mirror
`swe-srl train` in the benchmark: B prompts x G samples per step, one update per generation (num_iterations 1),
token-mean loss (loss_type dapo), clip 0.2, no KL, group-std scaling, AdamW with a constant lr and grad clip 1.
Writes {steps: [{step, seconds, reward_mean, reward_std, completion_tokens}], total_seconds, config}.
"""
import argparse
import json
import os
import subprocess
import time


class LineScorer:
    """A long-lived scorer process: one {"response", "expert"} line in, one {"reward"} line out."""

    def __init__(self, cmd):
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)

    def __call__(self, response, expert):
        self.proc.stdin.write(json.dumps({"response": response, "expert": expert}) + "\n")
        self.proc.stdin.flush()
        out = json.loads(self.proc.stdout.readline())
        if "reward" not in out:
            raise RuntimeError(f"the scorer failed: {out}")
        return float(out["reward"])

    def close(self):
        self.proc.stdin.close()
        self.proc.wait(timeout=30)


def main():
    ap = argparse.ArgumentParser()
    for name in ("--model", "--data", "--out", "--reward-cmd"):
        ap.add_argument(name, required=True)
    ap.add_argument("--steps", type=int, default=4)
    ap.add_argument("--batch", type=int, default=2)
    ap.add_argument("--n", type=int, default=4)
    ap.add_argument("--max-new-tokens", type=int, default=32)
    ap.add_argument("--lr", type=float, default=1e-4)
    ap.add_argument("--temperature", type=float, default=1.0)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", type=int, default=1)
    a = ap.parse_args()

    import torch

    torch.set_num_threads(a.threads)
    from datasets import Dataset
    from transformers import AutoModelForCausalLM, AutoTokenizer, TrainerCallback
    from trl import GRPOConfig, GRPOTrainer

    with open(a.data) as f:
        rows = [json.loads(line) for line in f if line.strip()]
    dataset = Dataset.from_list([{"prompt": r["prompt"], "target": r["target"]} for r in rows])
    scorer = LineScorer(json.loads(a.reward_cmd))

    def srl_reward(prompts, completions, target, **_):
        return [scorer(c[0]["content"] if isinstance(c, list) else c, t) for c, t in zip(completions, target)]

    per_step = {}

    class Clock(TrainerCallback):
        def on_step_begin(self, args, state, control, **kw):
            self.t = time.time()

        def on_step_end(self, args, state, control, **kw):
            per_step.setdefault(state.global_step, {})["seconds"] = time.time() - self.t

        def on_log(self, args, state, control, logs=None, **kw):
            if logs and "reward" in logs:
                per_step.setdefault(state.global_step, {}).update(
                    reward_mean=logs["reward"], reward_std=logs.get("reward_std"),
                    completion_tokens=round(logs.get("completions/mean_length", 0) * a.batch * a.n))

    out_dir = os.path.join(os.path.dirname(os.path.abspath(a.out)), "trl-run")
    cfg = GRPOConfig(
        output_dir=out_dir, max_steps=a.steps, per_device_train_batch_size=a.batch * a.n, num_generations=a.n,
        gradient_accumulation_steps=1, steps_per_generation=1, num_iterations=1, max_completion_length=a.max_new_tokens,
        temperature=a.temperature, top_p=1.0, learning_rate=a.lr, lr_scheduler_type="constant", warmup_steps=0,
        weight_decay=0.0, adam_beta1=0.9, adam_beta2=0.999, adam_epsilon=1e-8, max_grad_norm=1.0, beta=0.0,
        epsilon=0.2, loss_type="dapo", scale_rewards="group", logging_steps=1, save_strategy="no", report_to="none",
        use_cpu=True, bf16=False, seed=a.seed, dataloader_num_workers=0, disable_tqdm=True,
    )
    model = AutoModelForCausalLM.from_pretrained(a.model, dtype=torch.float32)
    tok = AutoTokenizer.from_pretrained(a.model)
    trainer = GRPOTrainer(model=model, reward_funcs=srl_reward, args=cfg, train_dataset=dataset,
                          processing_class=tok, callbacks=[Clock()])
    t0 = time.time()
    trainer.train()
    total = time.time() - t0
    scorer.close()
    steps = [{"step": s, **v} for s, v in sorted(per_step.items()) if s > 0]
    result = {"trainer": "trl.GRPOTrainer", "trl_version": __import__("trl").__version__, "steps": steps,
              "total_seconds": total, "config": vars(a)}
    with open(a.out, "w") as f:
        json.dump(result, f, indent=1)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
