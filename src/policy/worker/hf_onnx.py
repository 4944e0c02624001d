"""The hf backend's ONNX step module and tokenizer files (engine.export_onnx drives them).

The step takes the cache as flat tensors (past_key_values.{i}.key/value, [B, kv_heads, P, head_dim]) and builds the
transformers DynamicCache from them inside forward, so the traced graph has plain tensor inputs and outputs. Position
ids come from the attention mask as in HfBackend.forward, so left-padded rows line up with the worker's.
"""
import copy
import json
import os

import torch


class HfOnnxStep(torch.nn.Module):
    """(input_ids [B,T], attention_mask [B,P+T], past k/v per layer) -> (last-position logits [B,1,V], present k/v)."""

    def __init__(self, model):
        super().__init__()
        self.m = model

    def forward(self, input_ids, attention_mask, *past):
        from transformers import DynamicCache

        cache = DynamicCache(config=self.m.config)
        for i in range(len(past) // 2):
            cache.update(past[2 * i], past[2 * i + 1], i)
        positions = (attention_mask.cumsum(-1) - 1).clamp(min=0)[:, -input_ids.shape[1]:]
        out = self.m(input_ids=input_ids, attention_mask=attention_mask, position_ids=positions,
                     past_key_values=cache, use_cache=True)
        present = []
        for layer in out.past_key_values.layers:
            present += [layer.keys, layer.values]
        return (out.logits[:, -1:, :], *present)


def onnx_module(backend):
    """The step module over a float32 CPU copy of the policy (merged under LoRA), and its cache shape."""
    # A copy, so the live model keeps its adapter, dtype, device and attention kernel.
    model = copy.deepcopy(backend.model)
    if backend.lora:
        model = model.merge_and_unload()
    model = model.float().cpu().eval()  # onnxruntime's CPU kernels want float32
    model.set_attn_implementation("eager")  # plain matmul/softmax attention traces to portable ONNX ops
    cfg = model.config
    heads = cfg.num_attention_heads
    head_dim = getattr(cfg, "head_dim", None) or cfg.hidden_size // heads
    spec = {"n_layers": cfg.num_hidden_layers, "n_kv_heads": getattr(cfg, "num_key_value_heads", None) or heads,
            "head_dim": head_dim, "vocab": cfg.vocab_size, "device": torch.device("cpu")}
    return HfOnnxStep(model), spec


def save_tokenizer(tok, folder):
    """tokenizer.json and tokenizer_config.json with the chat template inline (transformers may keep it apart)."""
    tok.save_pretrained(folder)
    if not os.path.exists(os.path.join(folder, "tokenizer.json")):
        raise ValueError("the tokenizer has no fast (tokenizer.json) form; the onnx backend needs one")
    cfg_file = os.path.join(folder, "tokenizer_config.json")
    with open(cfg_file) as f:
        cfg = json.load(f)
    cfg["chat_template"] = tok.chat_template
    for key in ("bos_token", "eos_token", "pad_token", "unk_token"):
        value = getattr(tok, key, None)
        if isinstance(value, str):
            cfg[key] = value
    with open(cfg_file, "w") as f:
        json.dump(cfg, f, indent=2)
    return {"kind": "hf", "tokenizer_file": "tokenizer.json", "config_file": "tokenizer_config.json"}
