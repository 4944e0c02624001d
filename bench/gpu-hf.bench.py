"""GPU benchmark of the hf backend through the worker protocol (NOT run in CI; needs CUDA, transformers, tokenizers).

For each size (Qwen2 architecture, random weights, 0.5B and 7B shapes) it builds the model from a config on the
GPU, trains a small byte-level BPE tokenizer on the fly with a chat template (no downloads), saves both to a local
folder, then starts `python3 src/policy/worker` and drives it with JSON lines exactly as the TypeScript client does:
init (backend hf), generate, train_step. It reports generation tokens/s, train_step tokens/s, peak CUDA memory
(from the worker's info op), and MFU (6 * params * train tokens/s, and 2 * params * generated tokens/s, over the
GPU's dense bf16 peak). Prints one JSON document.

Run (from the project root, on a GPU machine):
  python3 bench/gpu-hf.bench.py --sizes 0.5b,7b --out-dir /tmp/swe-srl-gpu-bench
Options: --batch (prompts per generate), --group (samples per prompt), --prompt-tokens, --gen-tokens,
--train-seqs, --train-tokens (completion tokens per train sequence), --train-steps, --lora, --gradient-checkpointing,
--peak-tflops (default: looked up from the device name).
"""
import argparse
import json
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORKER = os.path.join(ROOT, "src", "policy", "worker")

SIZES = {
    # Qwen2-0.5B and Qwen2-7B shapes (config.json of the released models), weights random.
    "0.5b": dict(hidden_size=896, intermediate_size=4864, num_hidden_layers=24, num_attention_heads=14,
                 num_key_value_heads=2, vocab_size=151936, tie_word_embeddings=True),
    "7b": dict(hidden_size=3584, intermediate_size=18944, num_hidden_layers=28, num_attention_heads=28,
               num_key_value_heads=4, vocab_size=152064, tie_word_embeddings=False),
}
# Dense bf16 peak TFLOP/s (no sparsity) by device-name fragment.
PEAKS = [("H200", 989.0), ("H100", 989.0), ("A100", 312.0), ("L40S", 362.0), ("A10", 125.0), ("4090", 165.0)]

CHAT_TEMPLATE = (
    "{% for m in messages %}<|im_start|>{{ m['role'] }}\n{{ m['content'] }}<|im_end|>\n{% endfor %}"
    "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)
CORPUS_WORDS = ("def class return import self value error test file patch diff function parameter command bash "
                "think grep sed cat python pytest assert raise except lambda yield async await").split()


def build_tokenizer(folder):
    """A byte-level BPE trained on a synthetic corpus, wrapped as a PreTrainedTokenizerFast with a chat template."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    specials = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
    trainer = trainers.BpeTrainer(vocab_size=4096, special_tokens=specials,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    corpus = [" ".join(CORPUS_WORDS[(i * 7 + j) % len(CORPUS_WORDS)] for j in range(40)) for i in range(2000)]
    tok.train_from_iterator(corpus, trainer)
    fast = PreTrainedTokenizerFast(tokenizer_object=tok, eos_token="<|im_end|>", pad_token="<|endoftext|>",
                                   bos_token=None, unk_token=None)
    fast.chat_template = CHAT_TEMPLATE
    fast.save_pretrained(folder)
    return fast


def build_model(size, folder, dtype):
    """Random-weight Qwen2 of the given shape, created on the GPU (fast init) and saved as safetensors."""
    import torch
    from transformers import AutoModelForCausalLM, Qwen2Config

    if os.path.exists(os.path.join(folder, "config.json")):
        return
    cfg = Qwen2Config(**SIZES[size], max_position_embeddings=32768, rope_theta=1_000_000.0, rms_norm_eps=1e-6,
                      hidden_act="silu", bos_token_id=None, eos_token_id=2, pad_token_id=0,
                      torch_dtype=dtype, use_cache=True)
    with torch.device("cuda"):
        model = AutoModelForCausalLM.from_config(cfg, torch_dtype=getattr(torch, dtype))
    model.save_pretrained(folder, safe_serialization=True)
    del model
    torch.cuda.empty_cache()


class Worker:
    """The worker process and its JSON-lines protocol (one request at a time)."""

    def __init__(self):
        self.proc = subprocess.Popen([sys.executable, "-u", WORKER], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=sys.stderr, text=True, bufsize=1)
        ready = json.loads(self.proc.stdout.readline())
        if not ready.get("ok"):
            raise RuntimeError(f"worker did not start: {ready}")
        self.next_id = 1

    def request(self, op, params):
        rid = self.next_id
        self.next_id += 1
        self.proc.stdin.write(json.dumps({"id": rid, "op": op, "params": params}) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError(f"worker exited during {op} (code {self.proc.wait()})")
        reply = json.loads(line)
        if reply["id"] != rid:
            raise RuntimeError(f"reply id {reply['id']} for request {rid}")
        if not reply["ok"]:
            raise RuntimeError(f"{op} failed: {reply['error']}")
        return reply["result"]

    def close(self):
        try:
            self.request("shutdown", {})
        except Exception:  # noqa: BLE001 - already gone
            pass
        self.proc.wait(timeout=60)


def prompt_of(words):
    body = " ".join(CORPUS_WORDS[(i * 5) % len(CORPUS_WORDS)] for i in range(words))
    return [{"role": "system", "content": "You are a coding agent."}, {"role": "user", "content": body}]


def bench_size(size, a, peak_tflops):
    folder = os.path.join(a.out_dir, f"qwen2-{size}-random")
    os.makedirs(folder, exist_ok=True)
    t0 = time.time()
    build_tokenizer(folder)
    build_model(size, folder, a.dtype)
    build_s = time.time() - t0
    w = Worker()
    try:
        init = {"backend": "hf", "model": folder, "dtype": a.dtype, "device": "cuda", "seed": 0,
                "gradient_checkpointing": a.gradient_checkpointing, "micro_batch_size": a.micro_batch_size,
                "optimizer": {"lr": 1e-6}}
        if a.lora:
            init["lora"] = {"r": 16, "alpha": 32}
        t = time.time()
        info = w.request("init", init)
        load_s = time.time() - t
        n_params = info["parameters"]
        w.request("info", {"reset_peak": True})
        # Prompts of about --prompt-tokens tokens: the BPE merges whole corpus words, so words ~ tokens.
        prompts = [prompt_of(a.prompt_tokens) for _ in range(a.batch)]
        w.request("generate", {"prompts": prompts[:1], "n": 1, "max_new_tokens": 8, "seed": 0})  # warm-up kernels
        gen = w.request("generate", {"prompts": prompts, "n": a.group, "max_new_tokens": a.gen_tokens,
                                     "temperature": 1.0, "top_p": 1.0, "seed": 1})
        gen_mem = w.request("info", {"reset_peak": True}).get("cuda_memory", {})
        prompt_ids = gen["prompt_ids"][0]
        samples = []
        for i in range(a.train_seqs):
            comp = [(7 + 13 * i + j) % 4000 + 3 for j in range(a.train_tokens)]
            samples.append({"prompt_ids": prompt_ids, "completion_ids": comp, "advantage": 1.0 if i % 2 else -1.0,
                            "old_logprobs": [-1.0] * len(comp)})
        step_params = {"samples": samples, "clip_low": 0.2, "clip_high": 0.28, "kl_coef": 0.0,
                       "loss_agg": "token-mean", "grad_clip": 1.0, "temperature": 1.0}
        w.request("train_step", step_params)  # warm-up: allocator, optimizer state
        times = []
        for _ in range(a.train_steps):
            t = time.time()
            r = w.request("train_step", step_params)
            times.append(time.time() - t)
        train_mem = w.request("info", {"reset_peak": True}).get("cuda_memory", {})
        seq_tokens = len(prompt_ids) + a.train_tokens
        step_s = sum(times) / len(times)
        # Forward+backward runs over every token of each sequence (prompt included), so MFU counts them all.
        train_tok_s = a.train_seqs * seq_tokens / step_s
        gen_tok_s = gen["tokens"] / gen["seconds"] if gen["seconds"] > 0 else 0.0
        flops_train = 6 * n_params * train_tok_s
        return {
            "size": size, "parameters": n_params, "trainable_parameters": info.get("trainable_parameters"),
            "dtype": a.dtype, "lora": a.lora, "gradient_checkpointing": a.gradient_checkpointing,
            "build_seconds": build_s, "load_seconds": load_s,
            "generate": {"prompts": a.batch, "n": a.group, "prompt_tokens": len(prompt_ids),
                         "tokens": gen["tokens"], "seconds": gen["seconds"], "tokens_per_s": gen_tok_s,
                         "mfu": 2 * n_params * gen_tok_s / (peak_tflops * 1e12),
                         "peak_memory_bytes": gen_mem.get("peak_allocated")},
            "train_step": {"sequences": a.train_seqs, "tokens_per_sequence": seq_tokens,
                           "completion_tokens": r["tokens"], "seconds": step_s, "tokens_per_s": train_tok_s,
                           "completion_tokens_per_s": a.train_seqs * a.train_tokens / step_s,
                           "mfu": flops_train / (peak_tflops * 1e12),
                           "peak_memory_bytes": train_mem.get("peak_allocated")},
        }
    finally:
        w.close()


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", default="0.5b,7b")
    p.add_argument("--out-dir", default="/tmp/swe-srl-gpu-bench")
    p.add_argument("--dtype", default="bfloat16", choices=["bfloat16", "float16", "float32"])
    p.add_argument("--batch", type=int, default=8)
    p.add_argument("--group", type=int, default=8)
    p.add_argument("--prompt-tokens", type=int, default=512)
    p.add_argument("--gen-tokens", type=int, default=256)
    p.add_argument("--train-seqs", type=int, default=16)
    p.add_argument("--train-tokens", type=int, default=256)
    p.add_argument("--train-steps", type=int, default=3)
    p.add_argument("--micro-batch-size", type=int, default=4)
    p.add_argument("--lora", action="store_true")
    p.add_argument("--gradient-checkpointing", action="store_true")
    p.add_argument("--peak-tflops", type=float, default=None)
    a = p.parse_args()
    import torch

    if not torch.cuda.is_available():
        print(json.dumps({"error": "no CUDA device: this benchmark needs a GPU"}))
        sys.exit(2)
    name = torch.cuda.get_device_name(0)
    peak = a.peak_tflops or next((v for k, v in PEAKS if k in name), None)
    if peak is None:
        print(json.dumps({"error": f"unknown peak TFLOP/s for {name}: pass --peak-tflops"}))
        sys.exit(2)
    results = []
    for size in a.sizes.split(","):
        if size not in SIZES:
            raise SystemExit(f"unknown size {size!r} (valid: {', '.join(SIZES)})")
        try:
            results.append(bench_size(size, a, peak))
        except Exception as e:  # noqa: BLE001 - an OOM at 7B should not lose the 0.5B numbers
            results.append({"size": size, "error": f"{type(e).__name__}: {e}"})
        print(json.dumps(results[-1]), file=sys.stderr, flush=True)
    print(json.dumps({"device": name, "peak_tflops": peak, "torch": torch.__version__, "results": results}, indent=1))


if __name__ == "__main__":
    main()
