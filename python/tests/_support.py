"""Shared by the tests: where the swe-srl checkout is and how to run its CLI."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import List

# SWE_SRL_ROOT when the tests run from elsewhere; else the checkout these tests sit in (python/tests/ -> root).
ROOT = Path(os.environ.get("SWE_SRL_ROOT") or Path(__file__).resolve().parents[2])
NODE = os.environ.get("SWE_SRL_NODE") or shutil.which("node") or "node"


def cli(args: List[str], timeout: float = 300) -> subprocess.CompletedProcess:
    """Runs `node bin/swe-srl.js ARGS` in the checkout; raises with its output when it fails."""
    r = subprocess.run([NODE, str(ROOT / "bin" / "swe-srl.js"), *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    if r.returncode != 0:
        raise AssertionError(f"swe-srl {' '.join(args)} exited {r.returncode}:\n{r.stdout}\n{r.stderr}")
    return r
