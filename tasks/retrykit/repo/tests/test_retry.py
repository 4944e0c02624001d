import pytest

from retrykit import Backoff, RetryError, call_with_retry, retry


class Flaky:
    def __init__(self, failures, exc=ConnectionError):
        self.failures = failures
        self.exc = exc
        self.calls = 0

    def __call__(self):
        self.calls += 1
        if self.calls <= self.failures:
            raise self.exc(f"failure {self.calls}")
        return "ok"


def test_succeeds_after_failures():
    sleeps = []
    fn = Flaky(2)
    assert call_with_retry(fn, attempts=3, backoff=Backoff(initial=0.5, factor=1), sleep=sleeps.append) == "ok"
    assert fn.calls == 3
    assert sleeps == [0.5, 0.5]


def test_gives_up():
    fn = Flaky(5)
    with pytest.raises(RetryError) as info:
        call_with_retry(fn, attempts=3, backoff=Backoff(initial=0, factor=1), sleep=lambda s: None)
    assert info.value.attempts == 3
    assert isinstance(info.value.__cause__, ConnectionError)
    assert fn.calls == 3


def test_only_retries_listed_exceptions():
    fn = Flaky(1, exc=KeyError)
    with pytest.raises(KeyError):
        call_with_retry(fn, attempts=3, on=(ConnectionError,), sleep=lambda s: None)
    assert fn.calls == 1


def test_decorator_passes_arguments():
    calls = []

    @retry(attempts=2, sleep=lambda s: None)
    def add(a, b=0):
        calls.append((a, b))
        return a + b

    assert add(1, b=2) == 3
    assert calls == [(1, 2)]
    assert add.__name__ == "add"


def test_invalid_attempts():
    with pytest.raises(ValueError):
        call_with_retry(lambda: None, attempts=0)
