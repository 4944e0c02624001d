"""verl custom reward function: point ``custom_reward_function.path`` at this module and ``name`` at compute_score.

The Parquet that `swe-srl srl build` writes carries the expert action in ``reward_model.ground_truth``, which verl
hands over as ``ground_truth``; ``data_source`` is ``swe-srl/<format>``.
"""

from __future__ import annotations

from typing import Any, Optional

from .rewards import score_response


def compute_score(data_source: str, solution_str: str, ground_truth: str, extra_info: Optional[Any] = None, **kwargs: Any) -> float:
    """The SRL reward of one decoded reply: difflib ratio of its action to ground_truth, -1 when malformed."""
    return score_response(solution_str, ground_truth).reward
