import pytest

from durations import format_duration, parse_duration


def test_zero():
    assert format_duration(0) == "0s"


def test_compound():
    assert format_duration(5400) == "1h30m"
    assert format_duration(694861) == "1w1d1h1m1s"


def test_negative_rejected():
    with pytest.raises(ValueError):
        format_duration(-1)


@pytest.mark.parametrize("seconds", [1, 59, 60, 3599, 86400, 1234567])
def test_roundtrip_whole_seconds(seconds):
    assert parse_duration(format_duration(seconds)) == seconds
