"""The SRL step reward: difflib similarity of the predicted action to the expert's, -1 for a malformed reply.

reward = difflib.SequenceMatcher(None, render_call(parsed call), target, autojunk=False).ratio(), the same number
swe-srl's TypeScript scorer computes (its difflib is CPython's, code point for code point). Only the action is
scored, in its canonical rendering, so parameter order and tag spacing never move the reward; autojunk is off by
default as in SWE-RL (see src/srl/reward.ts for why).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any, List, Optional, Sequence

from .action_xml import render_call
from .response import ResponseFormatError, parse_response

FORMAT_ERROR_REWARD = -1.0


@dataclass(frozen=True)
class ScoredResponse:
    reward: float  # ratio() in [0, 1] when the reply parses, FORMAT_ERROR_REWARD otherwise
    status: str  # "ok" or the reason code
    action: Optional[str] = None  # canonical rendering of the predicted call
    detail: Optional[str] = None


def similarity(a: str, b: str, autojunk: bool = False) -> float:
    """SequenceMatcher(None, a, b, autojunk).ratio()."""
    return difflib.SequenceMatcher(None, a, b, autojunk=autojunk).ratio()


def score_response(response: str, target: str, autojunk: bool = False) -> ScoredResponse:
    """Scores one reply against the expert action (stored canonically rendered, as `swe-srl srl build` writes it)."""
    parsed = parse_response(response)
    if isinstance(parsed, ResponseFormatError):
        return ScoredResponse(FORMAT_ERROR_REWARD, parsed.reason, detail=parsed.detail)
    action = render_call(parsed.call)
    return ScoredResponse(similarity(action, target, autojunk), "ok", action=action)


def completion_text(completion: Any) -> str:
    """The reply text of a TRL completion: a string, or conversational messages (the assistant's contents joined)."""
    if isinstance(completion, str):
        return completion
    if isinstance(completion, dict):
        return _content_text(completion.get("content"))
    if isinstance(completion, (list, tuple)):
        texts = [_content_text(m.get("content")) for m in completion if isinstance(m, dict) and m.get("role", "assistant") == "assistant"]
        return "".join(texts)
    raise TypeError(f"a completion must be a string or a list of {{role, content}} messages, not {type(completion).__name__}")


def _content_text(content: Any) -> str:
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    # Multimodal content: a list of {"type": "text", "text": ...} parts.
    return "".join(part.get("text", "") for part in content if isinstance(part, dict) and part.get("type") == "text")


def srl_reward(completions: Sequence[Any], target: Optional[Sequence[str]] = None, autojunk: bool = False, **kwargs: Any) -> List[float]:
    """TRL reward function: one SRL reward per completion.

    ``target`` is the column of the same name in ``steps.trl.jsonl`` (the expert action, canonically rendered); TRL
    passes dataset columns as keyword lists aligned with ``completions``. Other keyword arguments are ignored.
    """
    if target is None:
        raise ValueError(
            "srl_reward needs the `target` column (the expert action): train on steps.trl.jsonl from `swe-srl srl build`, "
            "or add a `target` column to your dataset"
        )
    if len(target) != len(completions):
        raise ValueError(f"srl_reward got {len(completions)} completions but {len(target)} targets")
    return [score_response(completion_text(c), t, autojunk).reward for c, t in zip(completions, target)]
