"""Request schemas of the worker protocol, validated with a few stdlib combinators.

The TypeScript side validates the replies (src/policy/protocol.ts); this module validates the requests, so both ends
of the pipe check what they receive. A failed check raises SchemaError naming the offending path.
"""

PROTOCOL_VERSION = 1


class SchemaError(ValueError):
    def __init__(self, path, message):
        super().__init__(f"{path or '(root)'}: {message}")
        self.path = path


def _at(path, key):
    return f"{path}[{key}]" if isinstance(key, int) else (f"{path}.{key}" if path else key)


class Int:
    def __init__(self, lo=None, hi=None):
        self.lo, self.hi = lo, hi

    def check(self, v, path):
        if isinstance(v, bool) or not isinstance(v, int):
            raise SchemaError(path, f"expected an integer, got {type(v).__name__}")
        if self.lo is not None and v < self.lo:
            raise SchemaError(path, f"must be >= {self.lo}, got {v}")
        if self.hi is not None and v > self.hi:
            raise SchemaError(path, f"must be <= {self.hi}, got {v}")
        return v


class Num:
    def __init__(self, lo=None, hi=None):
        self.lo, self.hi = lo, hi

    def check(self, v, path):
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            raise SchemaError(path, f"expected a number, got {type(v).__name__}")
        if v != v or v in (float("inf"), float("-inf")):
            raise SchemaError(path, "must be finite")
        if self.lo is not None and v < self.lo:
            raise SchemaError(path, f"must be >= {self.lo}, got {v}")
        if self.hi is not None and v > self.hi:
            raise SchemaError(path, f"must be <= {self.hi}, got {v}")
        return float(v)


class Str:
    def __init__(self, choices=None, min_len=0):
        self.choices, self.min_len = choices, min_len

    def check(self, v, path):
        if not isinstance(v, str):
            raise SchemaError(path, f"expected a string, got {type(v).__name__}")
        if self.choices is not None and v not in self.choices:
            raise SchemaError(path, f"must be one of {sorted(self.choices)}, got {v!r}")
        if len(v) < self.min_len:
            raise SchemaError(path, f"must have at least {self.min_len} characters")
        return v


class Bool:
    def check(self, v, path):
        if not isinstance(v, bool):
            raise SchemaError(path, f"expected a boolean, got {type(v).__name__}")
        return v


class List:
    def __init__(self, item, min_len=0):
        self.item, self.min_len = item, min_len

    def check(self, v, path):
        if not isinstance(v, list):
            raise SchemaError(path, f"expected a list, got {type(v).__name__}")
        if len(v) < self.min_len:
            raise SchemaError(path, f"needs at least {self.min_len} items, got {len(v)}")
        return [self.item.check(x, _at(path, i)) for i, x in enumerate(v)]


class Nullable:
    def __init__(self, inner):
        self.inner = inner

    def check(self, v, path):
        return None if v is None else self.inner.check(v, path)


class Obj:
    """A JSON object with required and optional keys (optional ones get their default); unknown keys fail."""

    def __init__(self, required=None, optional=None):
        self.required = required or {}
        self.optional = optional or {}  # name -> (schema, default)

    def check(self, v, path):
        if not isinstance(v, dict):
            raise SchemaError(path, f"expected an object, got {type(v).__name__}")
        unknown = set(v) - set(self.required) - set(self.optional)
        if unknown:
            raise SchemaError(path, f"unknown keys {sorted(unknown)}")
        out = {}
        for k, s in self.required.items():
            if k not in v:
                raise SchemaError(_at(path, k), "is required")
            out[k] = s.check(v[k], _at(path, k))
        for k, (s, default) in self.optional.items():
            out[k] = s.check(v[k], _at(path, k)) if k in v and v[k] is not None else default
        return out


MESSAGE = Obj({"role": Str({"system", "user", "assistant"}), "content": Str()})
PROMPT = List(MESSAGE, min_len=1)
IDS = List(Int(0), min_len=0)

TINY = Obj(optional={
    "d_model": (Int(8), 128),
    "n_layers": (Int(1), 2),
    "n_heads": (Int(1), 4),
    "max_seq_len": (Int(8), 256),
    "init_seed": (Int(0), 0),
})
LORA = Obj(optional={
    "r": (Int(1), 16),
    "alpha": (Int(1), 32),
    "dropout": (Num(0, 1), 0.0),
    "target_modules": (List(Str(min_len=1), min_len=1), ["q_proj", "k_proj", "v_proj", "o_proj"]),
})
OPTIMIZER = Obj(optional={
    "lr": (Num(0), 5e-7),
    "betas": (List(Num(0, 1), min_len=2), [0.9, 0.999]),
    "weight_decay": (Num(0), 0.0),
    "eps": (Num(0), 1e-8),
})

INIT = Obj(
    {"backend": Str({"tiny", "hf"})},
    {
        "model": (Str(min_len=1), None),
        "tiny": (TINY, None),
        "dtype": (Str({"float32", "bfloat16", "float16"}), None),
        "device": (Str(min_len=1), None),
        "lora": (LORA, None),
        "gradient_checkpointing": (Bool(), False),
        "optimizer": (OPTIMIZER, None),
        "reference": (Bool(), False),
        "threads": (Int(1), None),
        "seed": (Int(0), 0),
        "micro_batch_size": (Int(1), 8),
    },
)
GENERATE = Obj(
    {"prompts": List(PROMPT, min_len=1)},
    {
        "n": (Int(1), 1),
        "max_new_tokens": (Int(1), 256),
        "temperature": (Num(0), 1.0),
        "top_p": (Num(0, 1), 1.0),
        "stop": (List(Str(min_len=1)), []),
        "seed": (Int(0), 0),
        "shared_prefix": (Bool(), True),
    },
)
ENCODE = Obj(
    {"prompts": List(PROMPT, min_len=1)},
    {"targets": (Nullable(List(Str())), None), "add_eos": (Bool(), True), "max_target_tokens": (Int(1), None),
     "prompt_room": (Nullable(Int(1)), None)},
)
TRAIN_SAMPLE = Obj({
    "prompt_ids": IDS,
    "completion_ids": List(Int(0), min_len=1),
    "advantage": Num(),
    "old_logprobs": List(Num()),
})
TRAIN_STEP = Obj(
    {"samples": List(TRAIN_SAMPLE, min_len=1)},
    {
        "clip_low": (Num(0, 1), 0.2),
        "clip_high": (Num(0), 0.2),
        "kl_coef": (Num(0), 0.0),
        "loss_agg": (Str({"token-mean", "seq-mean"}), "token-mean"),
        "grad_clip": (Nullable(Num(0)), 1.0),
        "temperature": (Num(0), 1.0),
        "lr": (Nullable(Num(0)), None),
    },
)
SFT_SAMPLE = Obj({"prompt_ids": IDS, "completion_ids": List(Int(0), min_len=1)})
SFT_STEP = Obj(
    {"samples": List(SFT_SAMPLE, min_len=1)},
    {"grad_clip": (Nullable(Num(0)), 1.0), "lr": (Nullable(Num(0)), None)},
)
SAVE = Obj({"path": Str(min_len=1)}, {"optimizer": (Bool(), True)})
LOAD = Obj({"path": Str(min_len=1)}, {"optimizer": (Bool(), True), "rng": (Bool(), True), "reference": (Bool(), False)})
EXPORT_ONNX = Obj({"path": Str(min_len=1)}, {"opset": (Int(9), 14)})
EXPORT_HF = Obj({"path": Str(min_len=1)}, {"adapter": (Bool(), True)})
EMPTY = Obj()

REQUESTS = {
    "init": INIT,
    "generate": GENERATE,
    "encode": ENCODE,
    "train_step": TRAIN_STEP,
    "sft_step": SFT_STEP,
    "save": SAVE,
    "load": LOAD,
    "export_onnx": EXPORT_ONNX,
    "export_hf": EXPORT_HF,
    "info": Obj(optional={"reset_peak": (Bool(), False)}),
    "shutdown": EMPTY,
}

class Anything:
    def check(self, v, path):
        return v


ENVELOPE = Obj({"id": Int(0), "op": Str(set(REQUESTS))}, {"params": (Anything(), {})})


def parse_request(msg):
    """Validates one request envelope and its params; returns (id, op, params)."""
    env = ENVELOPE.check(msg, "")
    params = REQUESTS[env["op"]].check(env["params"] if env["params"] is not None else {}, "params")
    return env["id"], env["op"], params
