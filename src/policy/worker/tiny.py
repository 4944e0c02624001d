"""The tiny backend: a small causal transformer over bytes, in plain PyTorch, for CPU tests and the demo.

Tokenizer: the UTF-8 bytes of the text (ids 0-255) plus BOS=256, EOS=257, PAD=258.
Chat template: every message renders as "<|ROLE|>\\n" + content + "\\n"; the
generation prompt appends "<|assistant|>\\n"; the whole prompt starts with BOS.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

BOS, EOS, PAD = 256, 257, 258
VOCAB = 259


def render_chat(messages):
    """The tiny backend's chat template, as a string (the generation prompt included)."""
    return "".join(f"<|{m['role']}|>\n{m['content']}\n" for m in messages) + "<|assistant|>\n"


class ByteTokenizer:
    bos_id, eos_id, pad_id = BOS, EOS, PAD

    def encode_prompt(self, messages):
        return [BOS] + list(render_chat(messages).encode("utf-8"))

    def encode_text(self, text):
        return list(text.encode("utf-8"))

    def decode(self, ids):
        return bytes(i for i in ids if i < 256).decode("utf-8", errors="replace")


class Block(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.heads = heads
        self.ln1 = nn.LayerNorm(d)
        self.qkv = nn.Linear(d, 3 * d)
        self.proj = nn.Linear(d, d)
        self.ln2 = nn.LayerNorm(d)
        self.mlp = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))

    def forward(self, x, allowed, past):
        """allowed: [B,1,T,K] bool, which keys each query attends to."""
        b, t, d = x.shape
        h = self.heads
        q, k, v = self.qkv(self.ln1(x)).split(d, dim=-1)
        q, k, v = (z.view(b, t, h, d // h).transpose(1, 2) for z in (q, k, v))
        if past is not None:
            k = torch.cat([past[0], k], dim=2)
            v = torch.cat([past[1], v], dim=2)
        if torch.jit.is_tracing():
            # The ONNX export traces the plain ops (the graph onnxruntime runs); same result as the fused kernel.
            bias = torch.zeros(allowed.shape, dtype=q.dtype).masked_fill(~allowed, float("-inf"))
            y = ((q @ k.transpose(-1, -2)) / math.sqrt(d // h) + bias).softmax(dim=-1) @ v
        else:
            # The fused kernel never builds the [T,K] score matrix in memory: ~10x faster at a context of 768.
            y = F.scaled_dot_product_attention(q, k, v, attn_mask=allowed)
        y = y.transpose(1, 2).reshape(b, t, d)
        x = x + self.proj(y)
        x = x + self.mlp(self.ln2(x))
        return x, (k, v)


class TinyLM(nn.Module):
    """GPT-style: learned positions, pre-LN blocks, tied embeddings."""

    def __init__(self, d_model=128, n_layers=2, n_heads=4, max_seq_len=256):
        super().__init__()
        if d_model % n_heads:
            raise ValueError(f"tiny.d_model ({d_model}) must be a multiple of tiny.n_heads ({n_heads})")
        self.max_seq_len = max_seq_len
        self.tok = nn.Embedding(VOCAB, d_model)
        self.pos = nn.Embedding(max_seq_len, d_model)
        self.blocks = nn.ModuleList(Block(d_model, n_heads) for _ in range(n_layers))
        self.ln = nn.LayerNorm(d_model)
        self.apply(self._init)

    @staticmethod
    def _init(m):
        if isinstance(m, (nn.Linear, nn.Embedding)):
            nn.init.normal_(m.weight, std=0.02)
        if isinstance(m, nn.Linear) and m.bias is not None:
            nn.init.zeros_(m.bias)

    def forward(self, input_ids, attention_mask, past=None):
        """Logits for input_ids [B,T]; attention_mask [B, past+T] marks real tokens (pads may sit on either side)."""
        b, t = input_ids.shape
        total = attention_mask.shape[1]
        mask = attention_mask.bool()
        positions = (mask.long().cumsum(-1) - 1).clamp(min=0)[:, total - t:]
        if not torch.jit.is_tracing() and int(positions.max()) >= self.max_seq_len:
            raise ValueError(f"sequence of {int(positions.max()) + 1} tokens exceeds tiny.max_seq_len {self.max_seq_len}")
        x = self.tok(input_ids) + self.pos(positions)
        qpos = torch.arange(total - t, total).view(t, 1)
        kpos = torch.arange(total).view(1, total)
        allowed = (kpos <= qpos).unsqueeze(0) & mask.unsqueeze(1)  # [B,T,K]
        allowed = (allowed | (kpos == qpos).unsqueeze(0)).unsqueeze(1)  # a pad query sees itself: no row is all -inf
        new_past = []
        for i, blk in enumerate(self.blocks):
            x, kv = blk(x, allowed, None if past is None else past[i])
            new_past.append(kv)
        return F.linear(self.ln(x), self.tok.weight), new_past


class OnnxWrapper(nn.Module):
    """The exported step: (input_ids [B,T], attention_mask [B,P+T], past k/v per layer [B,H,P,D]) -> (the last
    position's logits [B,1,V], present k/v per layer [B,H,P+T,D]). Flat tensors, so the graph has plain inputs."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, input_ids, attention_mask, *past):
        pairs = [(past[2 * i], past[2 * i + 1]) for i in range(len(past) // 2)]
        logits, present = self.model(input_ids, attention_mask, pairs)
        return (logits[:, -1:, :], *[t for kv in present for t in kv])


class TinyBackend:
    """Model, tokenizer and the forward/ reference hooks that engine.py drives."""

    name = "tiny"

    def __init__(self, params):
        cfg = params["tiny"] or {}
        torch.manual_seed(cfg.get("init_seed", 0))
        self.model = TinyLM(
            d_model=cfg.get("d_model", 128),
            n_layers=cfg.get("n_layers", 2),
            n_heads=cfg.get("n_heads", 4),
            max_seq_len=cfg.get("max_seq_len", 256),
        )
        self.device = torch.device(params["device"] or "cpu")
        self.model.to(self.device)
        self.tokenizer = ByteTokenizer()
        self.max_seq_len = self.model.max_seq_len
        self.reference = None
        if params["reference"]:
            import copy

            self.reference = copy.deepcopy(self.model).eval().requires_grad_(False)

    def forward(self, input_ids, attention_mask, past=None):
        return self.model(input_ids, attention_mask, past)

    def select_past(self, past, index):
        """The cache with row i copied from row index[i] (one (k, v) pair per block, batch first)."""
        return [(k.index_select(0, index), v.index_select(0, index)) for k, v in past]

    def has_reference(self):
        return self.reference is not None

    def reset_reference(self):
        """The current weights become the KL reference (engine.load with reference=True: the run's start)."""
        if self.reference is not None:
            self.reference.load_state_dict(self.model.state_dict())

    def reference_forward(self, input_ids, attention_mask):
        with torch.no_grad():
            return self.reference(input_ids, attention_mask)[0]

    def trainable_parameters(self):
        return [p for p in self.model.parameters() if p.requires_grad]

    def state_dict(self):
        return self.model.state_dict()

    def load_state_dict(self, sd):
        self.model.load_state_dict(sd)

    def onnx_module(self):
        """The step module engine.export_onnx traces, and the cache shape it declares in the manifest."""
        blk = self.model.blocks[0]
        d = self.model.tok.weight.shape[1]
        return OnnxWrapper(self.model), {"n_layers": len(self.model.blocks), "n_kv_heads": blk.heads,
                                         "head_dim": d // blk.heads, "vocab": VOCAB}

    def save_onnx_tokenizer(self, folder):
        """The byte tokenizer needs no files: its kind names the scheme this module's docstring describes."""
        return {"kind": "tiny-bytes"}

    def describe(self):
        return {"backend": "tiny", "parameters": sum(p.numel() for p in self.model.parameters()), "vocab": VOCAB,
                "max_seq_len": self.max_seq_len, "device": str(self.device)}
