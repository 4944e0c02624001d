"""The retry decorator and its functional form."""
import functools
import time

from .backoff import Backoff


class RetryError(Exception):
    """Raised when every attempt failed; the last failure is the ``__cause__``."""

    def __init__(self, attempts, last):
        super().__init__(f"gave up after {attempts} attempts: {last!r}")
        self.attempts = attempts
        self.last = last


def call_with_retry(fn, *args, attempts=3, on=(Exception,), backoff=None, sleep=time.sleep, **kwargs):
    """Call ``fn(*args, **kwargs)`` up to ``attempts`` times, sleeping between failed attempts."""
    if attempts < 1:
        raise ValueError("attempts must be >= 1")
    backoff = backoff if backoff is not None else Backoff()
    for attempt in range(1, attempts + 1):
        try:
            return fn(*args, **kwargs)
        except on as exc:
            if attempt == attempts:
                raise RetryError(attempts, exc) from exc
            sleep(backoff.delay(attempt))
    raise AssertionError("unreachable")


def retry(attempts=3, on=(Exception,), backoff=None, sleep=time.sleep):
    """Decorator form of :func:`call_with_retry`."""

    def decorate(fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            return call_with_retry(fn, *args, attempts=attempts, on=on, backoff=backoff, sleep=sleep, **kwargs)

        return wrapper

    return decorate
