"""Delay schedules between attempts."""
import random


class Backoff:
    """Exponential backoff: ``initial``, ``initial * factor``, ... capped at ``max_delay``, plus optional jitter."""

    def __init__(self, initial=0.1, factor=2.0, max_delay=None, jitter=0.0, rng=None):
        if initial < 0:
            raise ValueError("initial must be >= 0")
        if factor < 1:
            raise ValueError("factor must be >= 1")
        if max_delay is not None and max_delay < initial:
            raise ValueError("max_delay must be >= initial")
        if jitter < 0:
            raise ValueError("jitter must be >= 0")
        self.initial = initial
        self.factor = factor
        self.max_delay = max_delay
        self.jitter = jitter
        self._rng = rng if rng is not None else random.Random()

    def delay(self, retry_number):
        """Seconds to wait before retry ``retry_number`` (1 for the first retry)."""
        if retry_number < 1:
            raise ValueError("retry_number starts at 1")
        delay = self.initial * self.factor ** retry_number
        if self.max_delay is not None:
            delay = min(delay, self.max_delay)
        if self.jitter:
            delay += self._rng.uniform(0, self.jitter)
        return delay

    def delays(self, retries):
        """The delays before each of ``retries`` retries."""
        return [self.delay(n) for n in range(1, retries + 1)]

    def __repr__(self):
        return (
            f"Backoff(initial={self.initial!r}, factor={self.factor!r}, "
            f"max_delay={self.max_delay!r}, jitter={self.jitter!r})"
        )
