"""GRPO with the SRL paper's dynamic sampling, for TRL (imports TRL and torch; the rest of swe_srl does not).

GRPOTrainer builds each generation batch in ``_generate_and_score_completions``: it generates ``num_generations``
completions per prompt, scores them with the reward functions (``_calculate_rewards``) and computes the group
advantages. This subclass runs that step, drops every group whose rewards' population std is <= ``epsilon`` (its
advantages are all zero), draws fresh prompts from the training set for the missing groups and runs the step again,
until the batch is full or ``max_resample_tries`` generations were made; then a batch still short is topped up with
the rejected groups of highest std (they add no gradient, only keep the batch size TRL expects). Metrics, logged
with TRL's own: ``dynamic_sampling/kept_fraction`` (kept groups / groups generated), ``dynamic_sampling/tries`` and
``dynamic_sampling/filled_groups``. Evaluation batches are never filtered.

Limits: one process (the groups are filtered where they were generated), text-only batches, an indexable
``train_dataset`` (a ``datasets.Dataset``, not an IterableDataset).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any, Dict, List, Tuple

import torch
from trl import GRPOTrainer

from .dynamic_sampling import group_stds

# How each tensor of a generation batch is padded when groups of several batches are joined: (side, value);
# None as value means the tokenizer's pad token.
_PADDING = {
    "prompt_ids": ("left", None),
    "prompt_mask": ("left", 0),
    "completion_ids": ("right", None),
    "completion_mask": ("right", 0),
    "old_per_token_logps": ("right", 0.0),
    "ref_per_token_logps": ("right", 0.0),
    "sampling_per_token_logps": ("right", 0.0),
    "importance_sampling_ratio": ("right", 1.0),
    "tool_mask": ("right", 1),
}


@dataclass
class GenerationRecord:
    """What dynamic sampling did for one generation batch (``trainer.dynamic_sampling_history``)."""

    tries: int
    groups_needed: int
    groups_generated: int
    groups_kept: int  # groups whose reward std was > epsilon (all of them, also those beyond the batch)
    groups_filled: int  # rejected groups that topped up a batch still short after the last try
    rows: int  # completions in the batch handed to the optimizer


class DynamicSamplingGRPOTrainer(GRPOTrainer):
    """GRPOTrainer that keeps a prompt's group only when its rewards' population std is > ``epsilon`` and refills
    the batch with fresh prompts, making at most ``max_resample_tries`` generations per batch (the first included).
    All other arguments are GRPOTrainer's."""

    def __init__(self, *args: Any, epsilon: float = 1e-4, max_resample_tries: int = 4, **kwargs: Any):
        if not epsilon >= 0:
            raise ValueError(f"epsilon must be >= 0 (a group is kept when its reward std is > epsilon), got {epsilon}")
        if not isinstance(max_resample_tries, int) or max_resample_tries < 1:
            raise ValueError(f"max_resample_tries must be an integer >= 1 (1: filter without refilling), got {max_resample_tries!r}")
        super().__init__(*args, **kwargs)
        self.epsilon = float(epsilon)
        self.max_resample_tries = max_resample_tries
        self.dynamic_sampling_history: List[GenerationRecord] = []
        if self.accelerator.num_processes > 1:
            raise ValueError(
                "DynamicSamplingGRPOTrainer filters groups in one process; run it on one process "
                "(or filter in a rollout_func) for multi-process training"
            )
        if not (hasattr(self.train_dataset, "__len__") and hasattr(self.train_dataset, "__getitem__")):
            raise ValueError("DynamicSamplingGRPOTrainer resamples prompts by index: pass a datasets.Dataset, not an IterableDataset")
        self._resample_rng = random.Random(self.args.seed)
        self._last_rewards_per_func = None

    def _calculate_rewards(self, inputs, prompts, completions, completion_ids_list):
        rewards_per_func = super()._calculate_rewards(inputs, prompts, completions, completion_ids_list)
        self._last_rewards_per_func = rewards_per_func
        return rewards_per_func

    def _combined_rewards(self) -> List[float]:
        """Each completion's reward as GRPOTrainer sums it (weighted, NaN when every function returned None)."""
        r = self._last_rewards_per_func
        weights = self.reward_weights.to(r.device).unsqueeze(0)
        total = (r * weights).nansum(dim=1)
        total[torch.isnan(r).all(dim=1)] = torch.nan
        return total.tolist()

    def _generate_and_score_completions(self, inputs):
        if not self.model.training:
            return super()._generate_and_score_completions(inputs)
        g = self.num_generations
        needed = len(inputs) // g
        kept: List[Tuple[Dict[str, Any], int]] = []
        rejected: List[Tuple[float, int, Dict[str, Any], int]] = []
        generated = tries = 0
        batch = inputs
        while True:
            tries += 1
            out = super()._generate_and_score_completions(batch)
            for i, std in enumerate(group_stds(self._combined_rewards(), g)):
                if std > self.epsilon:
                    kept.append((out, i))
                else:
                    rejected.append((std, -len(rejected), out, i))
            generated += len(batch) // g
            if len(kept) >= needed or tries >= self.max_resample_tries:
                break
            batch = self._draw_groups(needed - len(kept))
        chosen = kept[:needed]
        rejected.sort(key=lambda x: (x[0], x[1]), reverse=True)
        filled = [(o, i) for _, _, o, i in rejected[: needed - len(chosen)]]
        result = self._join_groups(chosen + filled)
        record = GenerationRecord(tries, needed, generated, len(kept), len(filled), int(result["advantages"].shape[0]))
        self.dynamic_sampling_history.append(record)
        metrics = self._metrics["train"]
        metrics["dynamic_sampling/kept_fraction"].append(len(kept) / generated)
        metrics["dynamic_sampling/tries"].append(float(tries))
        metrics["dynamic_sampling/filled_groups"].append(float(len(filled)))
        return result

    def _draw_groups(self, n: int) -> List[Dict[str, Any]]:
        """n prompts drawn at random from the training set, each repeated num_generations times (as TRL's sampler)."""
        rows = [self.train_dataset[self._resample_rng.randrange(len(self.train_dataset))] for _ in range(n)]
        return [dict(row) for row in rows for _ in range(self.num_generations)]

    def _join_groups(self, groups: List[Tuple[Dict[str, Any], int]]) -> Dict[str, Any]:
        """One generation batch from groups (batch, group index) of possibly different batches, re-padded."""
        g = self.num_generations
        keys = set(groups[0][0])
        unknown = keys - set(_PADDING) - {"advantages", "num_items_in_batch"}
        if unknown:
            raise ValueError(f"DynamicSamplingGRPOTrainer joins text-only batches; this one also has {sorted(unknown)}")
        pad_id = self._tokenizer.pad_token_id
        out: Dict[str, Any] = {}
        for key in keys - {"num_items_in_batch"}:
            parts = [batch[key][i * g : (i + 1) * g] for batch, i in groups]
            if key == "advantages":
                out[key] = torch.cat(parts, dim=0)
                continue
            side, value = _PADDING[key]
            # importance_sampling_ratio is (B, 1) in TRL's sequence-level modes: nothing to pad then.
            keep_one = key == "importance_sampling_ratio" and all(p.shape[1] == 1 for p in parts)
            out[key] = torch.cat(parts) if keep_one else _pad_cat(parts, side, pad_id if value is None else value)
        loss_mask = out["completion_mask"] if "tool_mask" not in out else out["completion_mask"] * out["tool_mask"]
        out["num_items_in_batch"] = self.accelerator.gather(loss_mask.sum()).sum()
        return out


def _pad_cat(parts: List[torch.Tensor], side: str, value: Any) -> torch.Tensor:
    """Concatenates 2-D tensors along rows, padding columns on `side` to the widest."""
    width = max(p.shape[1] for p in parts)
    padded = []
    for p in parts:
        missing = width - p.shape[1]
        if missing:
            fill = torch.full((p.shape[0], missing), value, dtype=p.dtype, device=p.device)
            p = torch.cat([fill, p] if side == "left" else [p, fill], dim=1)
        padded.append(p)
    return torch.cat(padded, dim=0)
