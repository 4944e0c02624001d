"""The SRL paper's dynamic sampling filter, as pure functions over plain lists (no torch): a group of completions
of one prompt is kept for the update when the population standard deviation of its rewards exceeds epsilon, since
a group whose rewards are all equal has zero advantage everywhere and only dilutes the batch."""

from __future__ import annotations

import math
from typing import List, Sequence


def group_stds(rewards: Sequence[float], group_size: int) -> List[float]:
    """Population std (ddof 0) of each consecutive group of `group_size` rewards; NaN rewards (unscorable) are left
    out, and a group with fewer than two scorable rewards has std 0."""
    if group_size < 1:
        raise ValueError(f"group_size must be >= 1, got {group_size}")
    if len(rewards) % group_size != 0:
        raise ValueError(f"{len(rewards)} rewards do not split into groups of {group_size}")
    out = []
    for g in range(0, len(rewards), group_size):
        xs = [float(r) for r in rewards[g : g + group_size] if not math.isnan(float(r))]
        if len(xs) < 2:
            out.append(0.0)
            continue
        mean = sum(xs) / len(xs)
        out.append(math.sqrt(sum((x - mean) ** 2 for x in xs) / len(xs)))
    return out


def keep_groups(rewards: Sequence[float], group_size: int, epsilon: float) -> List[bool]:
    """Per group: whether its rewards' population std is > epsilon (a group of one is never kept)."""
    return [s > epsilon for s in group_stds(rewards, group_size)]
