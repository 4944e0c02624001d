"""Backend-independent operations: sampling, GRPO and SFT steps, checkpoints, ONNX export.

A backend (tiny.py, hf.py) supplies: tokenizer (encode_prompt, encode_text, decode, eos_id, pad_id), forward(ids,
mask, past) -> (logits, past), select_past(past, index) (the cache with row i copied from row index[i]),
reference_forward(ids, mask), trainable_parameters(), state_dict(),
load_state_dict(), has_reference(), reset_reference(), onnx_module(), describe(), max_seq_len (or None), device,
name.
"""
import json
import os
import random
import time

import torch

from losses import aggregate, k3_kl, ppo_clip_terms, token_logprobs

CHECKPOINT_VERSION = 1
ONNX_FORMAT_VERSION = 1
ONNX_MODEL_FILE = "model.onnx"
ONNX_MANIFEST_FILE = "policy_onnx.json"


def _top_p_filter(logits, top_p):
    """Masks the tail of each row beyond cumulative probability top_p (the most likely token always stays)."""
    if top_p >= 1.0:
        return logits
    sorted_logits, idx = torch.sort(logits, descending=True, dim=-1)
    probs = sorted_logits.softmax(-1)
    drop = probs.cumsum(-1) - probs > top_p
    sorted_logits = sorted_logits.masked_fill(drop, float("-inf"))
    return torch.full_like(logits, float("-inf")).scatter(-1, idx, sorted_logits)


class Engine:
    def __init__(self, backend, params):
        self.b = backend
        self.tok = backend.tokenizer
        self.micro = params["micro_batch_size"]
        opt = params["optimizer"] or {}
        self.optimizer = torch.optim.AdamW(
            backend.trainable_parameters(),
            lr=opt.get("lr", 5e-7),
            betas=tuple(opt.get("betas", [0.9, 0.999])),
            weight_decay=opt.get("weight_decay", 0.0),
            eps=opt.get("eps", 1e-8),
        )
        random.seed(params["seed"])
        torch.manual_seed(params["seed"])

    # ---- tokens -------------------------------------------------------------------------------------------------
    def _fit_prompt(self, ids, room):
        """Keeps the last tokens of a prompt when it does not fit (the generation header sits at the end)."""
        limit = self.b.max_seq_len
        if limit is None or len(ids) + room <= limit:
            return ids
        keep = max(1, limit - room)
        return ids[len(ids) - keep:]

    def encode(self, p):
        prompts = [self.tok.encode_prompt(m) for m in p["prompts"]]
        out = {"prompt_ids": prompts}
        if p["targets"] is not None:
            if len(p["targets"]) != len(prompts):
                raise ValueError(f"targets has {len(p['targets'])} items for {len(prompts)} prompts")
            targets = []
            for i, t in enumerate(p["targets"]):
                ids = self.tok.encode_text(t) + ([self.tok.eos_id] if p["add_eos"] else [])
                if p["max_target_tokens"]:
                    ids = ids[: p["max_target_tokens"]]
                if self.b.max_seq_len is not None:
                    ids = ids[: self.b.max_seq_len - 1]
                targets.append(ids)
                # The prompt as generate() would cut it (room = max_new_tokens), so learned positions carry over.
                prompts[i] = self._fit_prompt(prompts[i], max(len(ids), p["prompt_room"] or 0))
            out["target_ids"] = targets
        return out

    # ---- generation ---------------------------------------------------------------------------------------------
    @torch.no_grad()
    def generate(self, p):
        n, max_new = p["n"], p["max_new_tokens"]
        prompt_ids = [self._fit_prompt(self.tok.encode_prompt(m), max_new) for m in p["prompts"]]
        rows = [pi for pi in range(len(prompt_ids)) for _ in range(n)]
        gen = torch.Generator().manual_seed(p["seed"])
        results = [None] * len(rows)
        chunk = max(1, self.micro * 4)
        tokens = 0
        t0 = time.time()
        for start in range(0, len(rows), chunk):
            part = rows[start:start + chunk]
            outs = self._generate_batch([prompt_ids[r] for r in part], p, gen, p["shared_prefix"])
            for j, o in enumerate(outs):
                results[start + j] = o
                tokens += len(o["token_ids"])
        grouped = [results[i * n:(i + 1) * n] for i in range(len(prompt_ids))]
        return {"prompt_ids": prompt_ids, "completions": grouped, "tokens": tokens, "seconds": time.time() - t0}

    def _prefill(self, prompts, shared):
        """Last-position logits, cache and mask of left-padded prompts; shared: each distinct prompt runs once and
        its cache is copied to the rows that repeat it (a GRPO group's G samples share one prefill)."""
        dev = self.b.device
        rows, index = _distinct(prompts) if shared else (prompts, None)
        width = max(len(x) for x in rows)  # the same width either way: the distinct prompts include the longest
        ids = torch.full((len(rows), width), self.tok.pad_id, dtype=torch.long)
        mask = torch.zeros((len(rows), width), dtype=torch.long)
        for i, x in enumerate(rows):  # left padding keeps every row's next token in the last column
            ids[i, width - len(x):] = torch.tensor(x, dtype=torch.long)
            mask[i, width - len(x):] = 1
        ids, mask = ids.to(dev), mask.to(dev)
        logits, past = self.b.forward(ids, mask)
        logits = logits[:, -1:, :]
        if index is not None and len(rows) < len(prompts):
            idx = torch.tensor(index, dtype=torch.long, device=dev)
            logits, mask, past = logits.index_select(0, idx), mask.index_select(0, idx), self.b.select_past(past, idx)
        return logits, past, mask

    def _generate_batch(self, prompts, p, gen, shared=True):
        dev = self.b.device
        bsz = len(prompts)
        out_ids = [[] for _ in range(bsz)]
        out_lp = [[] for _ in range(bsz)]
        finish = [None] * bsz
        texts = [None] * bsz
        logits, past, mask = self._prefill(prompts, shared)
        temp, top_p, stops = p["temperature"], p["top_p"], p["stop"]
        for _ in range(p["max_new_tokens"]):
            last = logits[:, -1, :].float()
            if temp == 0.0:
                logp = torch.log_softmax(last, -1)
                nxt = logp.argmax(-1)
            else:
                logp = torch.log_softmax(last / temp, -1)
                probs = _top_p_filter(logp, top_p).softmax(-1)
                nxt = torch.multinomial(probs.cpu(), 1, generator=gen).squeeze(-1).to(dev)
            chosen_lp = logp.gather(-1, nxt.unsqueeze(-1)).squeeze(-1).tolist()
            nxt_list = nxt.tolist()
            for i in range(bsz):
                if finish[i] is not None:
                    continue
                out_ids[i].append(nxt_list[i])
                out_lp[i].append(chosen_lp[i])
                if nxt_list[i] == self.tok.eos_id:
                    finish[i] = "eos"
                elif stops:
                    text = self.tok.decode(out_ids[i])
                    hit = _first_stop(text, stops)
                    if hit is not None:
                        finish[i], texts[i] = "stop", text[:hit]
            if all(f is not None for f in finish):
                break
            mask = torch.cat([mask, torch.ones((bsz, 1), dtype=mask.dtype, device=dev)], dim=1)
            logits, past = self.b.forward(nxt.unsqueeze(-1), mask, past)
        outs = []
        for i in range(bsz):
            text = texts[i] if texts[i] is not None else self.tok.decode(out_ids[i])
            outs.append({"text": text, "token_ids": out_ids[i], "logprobs": out_lp[i],
                         "finish_reason": finish[i] or "length"})
        return outs

    # ---- training -----------------------------------------------------------------------------------------------
    def _batch(self, samples):
        """Right-padded [prompt + completion] rows; targets shifted by one; a mask over completion targets only."""
        dev = self.b.device
        lens = [len(s["prompt_ids"]) + len(s["completion_ids"]) for s in samples]
        width = max(lens)
        if self.b.max_seq_len is not None and width > self.b.max_seq_len:
            raise ValueError(f"a sample has {width} tokens; the model takes at most {self.b.max_seq_len}")
        ids = torch.full((len(samples), width), self.tok.pad_id, dtype=torch.long)
        attn = torch.zeros((len(samples), width), dtype=torch.long)
        cmask = torch.zeros((len(samples), width - 1))
        old = torch.zeros((len(samples), width - 1))
        for i, s in enumerate(samples):
            seq = s["prompt_ids"] + s["completion_ids"]
            ids[i, :len(seq)] = torch.tensor(seq, dtype=torch.long)
            attn[i, :len(seq)] = 1
            a, c = len(s["prompt_ids"]), len(s["completion_ids"])
            # position t predicts token t+1: completion tokens are predicted at positions a-1 .. a+c-2
            cmask[i, a - 1:a + c - 1] = 1
            if "old_logprobs" in s:
                old[i, a - 1:a + c - 1] = torch.tensor(s["old_logprobs"], dtype=torch.float)
        return ids.to(dev), attn.to(dev), cmask.to(dev), old.to(dev)

    def _check_samples(self, samples, with_old):
        for i, s in enumerate(samples):
            if len(s["prompt_ids"]) == 0:
                raise ValueError(f"samples[{i}].prompt_ids is empty (a prompt has at least the BOS/template tokens)")
            if with_old and len(s["old_logprobs"]) != len(s["completion_ids"]):
                raise ValueError(f"samples[{i}]: {len(s['old_logprobs'])} old_logprobs for "
                                 f"{len(s['completion_ids'])} completion tokens")

    def _set_lr(self, lr):
        if lr is not None:
            for g in self.optimizer.param_groups:
                g["lr"] = lr

    def _finish_step(self, grad_clip):
        params = self.b.trainable_parameters()
        norm = torch.nn.utils.clip_grad_norm_(params, grad_clip if grad_clip is not None else float("inf"))
        norm = float(norm)
        if norm == norm and norm != float("inf"):
            self.optimizer.step()
        self.optimizer.zero_grad(set_to_none=True)
        return norm

    def train_step(self, p):
        samples = p["samples"]
        self._check_samples(samples, True)
        if p["kl_coef"] > 0 and not self.b.has_reference():
            raise ValueError("kl_coef > 0 needs a reference model: pass reference: true to init")
        self._set_lr(p["lr"])
        t0 = time.time()
        n_tok = sum(len(s["completion_ids"]) for s in samples)
        n_seq = len(samples)
        totals = {"loss": 0.0, "kl": 0.0, "clipped": 0.0, "ratio_sum": 0.0, "max_abs_log_ratio": 0.0}
        self.optimizer.zero_grad(set_to_none=True)
        for start in range(0, n_seq, self.micro):
            mb = samples[start:start + self.micro]
            ids, attn, cmask, old = self._batch(mb)
            logits, _ = self.b.forward(ids, attn)
            logp = token_logprobs(logits[:, :-1], ids[:, 1:], p["temperature"])
            adv = torch.tensor([s["advantage"] for s in mb], dtype=torch.float, device=logp.device)
            per_tok, clipped, ratio = ppo_clip_terms(logp, old, adv, p["clip_low"], p["clip_high"])
            kl = torch.zeros_like(logp)
            if p["kl_coef"] > 0:
                ref_logp = token_logprobs(self.b.reference_forward(ids, attn)[:, :-1], ids[:, 1:], p["temperature"])
                kl = k3_kl(logp, ref_logp)
                per_tok = per_tok + p["kl_coef"] * kl
            loss = aggregate(per_tok, cmask, p["loss_agg"], n_tok, n_seq)
            loss.backward()
            with torch.no_grad():
                totals["loss"] += float(loss)
                totals["kl"] += float((kl * cmask).sum())
                totals["clipped"] += float((clipped * cmask).sum())
                totals["ratio_sum"] += float((ratio * cmask).sum())
                dev = float(((logp - old).abs() * cmask).max())
                totals["max_abs_log_ratio"] = max(totals["max_abs_log_ratio"], dev)
        norm = self._finish_step(p["grad_clip"])
        return {"loss": totals["loss"], "kl": totals["kl"] / n_tok, "clip_frac": totals["clipped"] / n_tok,
                "grad_norm": norm, "tokens": n_tok, "ratio_mean": totals["ratio_sum"] / n_tok,
                "max_abs_log_ratio": totals["max_abs_log_ratio"], "seconds": time.time() - t0}

    def sft_step(self, p):
        samples = p["samples"]
        self._check_samples(samples, False)
        self._set_lr(p["lr"])
        t0 = time.time()
        n_tok = sum(len(s["completion_ids"]) for s in samples)
        total = 0.0
        self.optimizer.zero_grad(set_to_none=True)
        for start in range(0, len(samples), self.micro):
            mb = samples[start:start + self.micro]
            ids, attn, cmask, _ = self._batch(mb)
            logits, _ = self.b.forward(ids, attn)
            nll = -token_logprobs(logits[:, :-1], ids[:, 1:])
            loss = (nll * cmask).sum() / n_tok
            loss.backward()
            total += float(loss)
        norm = self._finish_step(p["grad_clip"])
        return {"loss": total, "grad_norm": norm, "tokens": n_tok, "seconds": time.time() - t0}

    # ---- persistence --------------------------------------------------------------------------------------------
    def export_hf(self, p):
        """The policy as a Hugging Face model folder (backends that have one: hf)."""
        if not hasattr(self.b, "save_hf"):
            raise ValueError(f"the {self.b.name} backend has no Hugging Face form: export it as ONNX (export_onnx)")
        return self.b.save_hf(p["path"], p["adapter"])

    def save(self, p):
        path = p["path"]
        os.makedirs(path, exist_ok=True)
        state = {"version": CHECKPOINT_VERSION, "backend": self.b.name, "model": self.b.state_dict(),
                 "rng": {"torch": torch.get_rng_state(), "python": random.getstate()}}
        if p["optimizer"]:
            state["optimizer"] = self.optimizer.state_dict()
        tmp = os.path.join(path, "policy.pt.tmp")
        torch.save(state, tmp)
        os.replace(tmp, os.path.join(path, "policy.pt"))  # a crash mid-save never leaves half a checkpoint
        with open(os.path.join(path, "policy.json"), "w") as f:
            json.dump({"version": CHECKPOINT_VERSION, "backend": self.b.name, "optimizer": p["optimizer"]}, f)
        return {"path": path}

    def load(self, p):
        file = os.path.join(p["path"], "policy.pt")
        if not os.path.exists(file):
            raise FileNotFoundError(f"no checkpoint at {file}")
        state = torch.load(file, map_location=self.b.device)
        if state.get("version") != CHECKPOINT_VERSION:
            raise ValueError(f"checkpoint version {state.get('version')} is not {CHECKPOINT_VERSION}")
        if state.get("backend") != self.b.name:
            raise ValueError(f"checkpoint is for backend {state.get('backend')!r}, this worker runs {self.b.name!r}")
        self.b.load_state_dict(state["model"])
        if p["reference"]:  # the run's start (init_from); a resumed run keeps the reference it started from
            self.b.reset_reference()
        if p["optimizer"] and "optimizer" in state:
            self.optimizer.load_state_dict(state["optimizer"])
        if p["rng"]:
            torch.set_rng_state(state["rng"]["torch"])
            random.setstate(state["rng"]["python"])
        return {"path": p["path"], "optimizer": bool(p["optimizer"] and "optimizer" in state)}

    def export_onnx(self, p):
        """A folder an in-process runtime samples from with no Python: model.onnx (one decoding step with a KV cache),
        the tokenizer, and policy_onnx.json describing both (written last: a folder with a manifest is complete)."""
        folder = p["path"]
        os.makedirs(folder, exist_ok=True)
        manifest_file = os.path.join(folder, ONNX_MANIFEST_FILE)
        if os.path.exists(manifest_file):
            os.remove(manifest_file)  # until the new export is whole, the folder is not a valid one
        module, spec = self.b.onnx_module()
        module.eval()
        n_layers = spec["n_layers"]
        args, names, axes = _onnx_example(spec, spec.get("device", self.b.device), torch.float32)
        model_file = os.path.join(folder, ONNX_MODEL_FILE)
        with torch.no_grad():
            torch.onnx.export(module, args, model_file, input_names=names["inputs"], output_names=names["outputs"],
                              opset_version=p["opset"], dynamic_axes=axes, dynamo=False)
        tokenizer = self.b.save_onnx_tokenizer(folder)
        manifest = {"format_version": ONNX_FORMAT_VERSION, "backend": self.b.name, "model_file": ONNX_MODEL_FILE,
                    "n_layers": n_layers, "n_kv_heads": spec["n_kv_heads"], "head_dim": spec["head_dim"],
                    "vocab": spec["vocab"], "parameters": sum(t.numel() for t in module.parameters()),
                    "dtype": "float32", "eos_id": self.tok.eos_id, "pad_id": self.tok.pad_id,
                    "bos_id": getattr(self.tok, "bos_id", None), "max_seq_len": self.b.max_seq_len,
                    "tokenizer": tokenizer, "inputs": names["inputs"], "outputs": names["outputs"]}
        with open(manifest_file, "w") as f:
            json.dump(manifest, f, indent=2)
        size = sum(os.path.getsize(os.path.join(folder, x)) for x in os.listdir(folder))
        return {"path": folder, "bytes": size}


def _distinct(prompts):
    """The distinct prompts in first-seen order, and for each input row the index of its distinct prompt."""
    seen, rows, index = {}, [], []
    for x in prompts:
        key = tuple(x)
        if key not in seen:
            seen[key] = len(rows)
            rows.append(x)
        index.append(seen[key])
    return rows, index


def _onnx_example(spec, device, dtype):
    """Trace inputs (2 rows, a 2-token cache, 3 new tokens, one row left-padded), graph names and dynamic axes."""
    b, past_len, t = 2, 2, 3
    ids = torch.tensor([[1, 2, 3], [4, 5, 6]], dtype=torch.long, device=device)
    mask = torch.ones((b, past_len + t), dtype=torch.long, device=device)
    mask[1, 0] = 0
    shape = (b, spec["n_kv_heads"], past_len, spec["head_dim"])
    past, past_names, present_names = [], [], []
    for i in range(spec["n_layers"]):
        for kind in ("key", "value"):
            past.append(torch.randn(shape, dtype=dtype, device=device))
            past_names.append(f"past_key_values.{i}.{kind}")
            present_names.append(f"present.{i}.{kind}")
    axes = {"input_ids": {0: "batch", 1: "seq"}, "attention_mask": {0: "batch", 1: "total"},
            "logits": {0: "batch"}}
    axes.update({n: {0: "batch", 2: "past"} for n in past_names})
    axes.update({n: {0: "batch", 2: "total"} for n in present_names})
    names = {"inputs": ["input_ids", "attention_mask", *past_names], "outputs": ["logits", *present_names]}
    return (ids, mask, *past), names, axes


def _first_stop(text, stops):
    """End index (stop string included) of the earliest stop string in text, or None."""
    best = None
    for s in stops:
        i = text.find(s)
        if i >= 0 and (best is None or i + len(s) < best):
            best = i + len(s)
    return best
