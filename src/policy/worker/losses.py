"""GRPO / SFT losses as pure tensor functions (no model, no optimizer), so they can be read and tested alone."""
import torch


def token_logprobs(logits, targets, temperature=1.0):
    """log p(target) per position from logits [B,T,V] and targets [B,T], under softmax(logits / temperature)."""
    logits = logits.float()
    if temperature not in (0.0, 1.0):
        logits = logits / temperature
    return logits.gather(-1, targets.unsqueeze(-1)).squeeze(-1) - torch.logsumexp(logits, dim=-1)


def ppo_clip_terms(logp, old_logp, advantages, clip_low, clip_high):
    """Per-token PPO-clip loss and a clipped flag; advantages broadcast per sequence ([B] -> [B,T])."""
    ratio = torch.exp(logp - old_logp)
    adv = advantages.unsqueeze(-1)
    unclipped = -adv * ratio
    clipped = -adv * torch.clamp(ratio, 1.0 - clip_low, 1.0 + clip_high)
    return torch.maximum(unclipped, clipped), (clipped > unclipped).float(), ratio


def k3_kl(logp, ref_logp):
    """Schulman's k3 estimator of KL(policy || reference), per token: exp(r) - r - 1 with r = ref - logp (>= 0)."""
    r = ref_logp - logp
    return torch.exp(r) - r - 1.0


def aggregate(per_token, mask, mode, n_tokens_total, n_seqs_total):
    """Sum of this micro-batch's share of the batch loss: token-mean (DAPO) or seq-mean (GRPO).

    The totals are over the whole train_step batch, so micro-batches add up to the loss of the full batch.
    """
    masked = per_token * mask
    if mode == "token-mean":
        return masked.sum() / n_tokens_total
    if mode == "seq-mean":
        return (masked.sum(-1) / mask.sum(-1).clamp(min=1)).sum() / n_seqs_total
    raise ValueError(f"unknown loss aggregation {mode!r} (valid: token-mean, seq-mean)")
