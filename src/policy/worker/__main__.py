"""Worker entry: `python3 src/policy/worker` reads one JSON request per line on stdin, writes one reply per line.

Request:  {"id": 7, "op": "generate", "params": {...}}
Reply:    {"id": 7, "ok": true, "result": {...}}  or  {"id": 7, "ok": false, "error": {"type", "message", "path"?}}
The first line the worker writes is {"id": 0, "ok": true, "result": {"ready": true, "protocol": N}}.
stdout carries only protocol lines; logs and warnings go to stderr. A malformed line gets an error reply (id -1
when the id cannot be read); the worker exits on EOF or on "shutdown".
"""
import json
import os
import sys
import traceback

# stdout is the protocol channel: anything else printing there (a library's print) would corrupt it.
_PROTO = os.fdopen(os.dup(sys.stdout.fileno()), "w", buffering=1, encoding="utf-8")
sys.stdout = sys.stderr

import schema  # noqa: E402


def send(obj):
    _PROTO.write(json.dumps(obj, allow_nan=False) + "\n")
    _PROTO.flush()


def log(msg):
    print(f"[worker] {msg}", file=sys.stderr, flush=True)


def _memory(reset_peak):
    """CUDA memory of this process in bytes (peak since the last reset), when torch and CUDA are loaded."""
    torch = sys.modules.get("torch")
    if torch is None or not torch.cuda.is_available() or not torch.cuda.is_initialized():
        return {}
    out = {"cuda_memory": {"allocated": torch.cuda.memory_allocated(), "reserved": torch.cuda.memory_reserved(),
                           "peak_allocated": torch.cuda.max_memory_allocated()}}
    if reset_peak:
        torch.cuda.reset_peak_memory_stats()
    return out


class Worker:
    def __init__(self):
        self.engine = None
        self.backend = None

    def init(self, p):
        import torch

        torch.set_num_threads(p["threads"] or max(1, min(4, os.cpu_count() or 1)))
        if p["backend"] == "tiny":
            from tiny import TinyBackend

            backend = TinyBackend(p)
        else:
            from hf import HfBackend

            backend = HfBackend(p)
        from engine import Engine

        self.backend, self.engine = backend, Engine(backend, p)
        return backend.describe()

    def handle(self, op, p):
        if op == "init":
            return self.init(p)
        if op == "info":
            return {"initialized": self.engine is not None, **(self.backend.describe() if self.backend else {}),
                    **_memory(p["reset_peak"])}
        if self.engine is None:
            raise RuntimeError(f"'{op}' before 'init': send init first")
        return getattr(self.engine, op)(p)


def main():
    worker = Worker()
    send({"id": 0, "ok": True, "result": {"ready": True, "protocol": schema.PROTOCOL_VERSION, "pid": os.getpid()}})
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        rid = -1
        try:
            msg = json.loads(line)
            if isinstance(msg, dict) and isinstance(msg.get("id"), int):
                rid = msg["id"]
            rid, op, params = schema.parse_request(msg)
        except json.JSONDecodeError as e:
            send({"id": rid, "ok": False, "error": {"type": "bad_json", "message": str(e)}})
            continue
        except schema.SchemaError as e:
            send({"id": rid, "ok": False, "error": {"type": "bad_request", "message": str(e), "path": e.path}})
            continue
        if op == "shutdown":
            send({"id": rid, "ok": True, "result": {}})
            break
        try:
            result = worker.handle(op, params)
            send({"id": rid, "ok": True, "result": result})
        except Exception as e:  # a failed op is a reply, not a dead worker
            log(traceback.format_exc())
            kind = "bad_request" if isinstance(e, (ValueError, FileNotFoundError)) else "failed"
            send({"id": rid, "ok": False, "error": {"type": kind, "message": f"{type(e).__name__}: {e}"}})


if __name__ == "__main__":
    main()
