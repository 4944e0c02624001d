import pytest

from durations import parse_duration


def test_single_unit():
    assert parse_duration("90s") == 90.0
    assert parse_duration("5m") == 300.0


def test_compound():
    assert parse_duration("1h30m") == 5400.0


def test_spaces_and_commas():
    assert parse_duration("2 days, 4 hours") == 187200.0


def test_long_aliases():
    assert parse_duration("1 week 2 hours 3 minutes 4 seconds") == 604800 + 7200 + 180 + 4


def test_case_insensitive():
    assert parse_duration("1H 2M") == 3720.0


def test_fractions():
    assert parse_duration("1.5h") == 5400.0
    assert parse_duration(".5m") == 30.0


def test_bare_number_is_seconds():
    assert parse_duration("42") == 42.0


@pytest.mark.parametrize("text", ["", "   ", "abc", "5 parsecs", "1h junk"])
def test_invalid(text):
    with pytest.raises(ValueError):
        parse_duration(text)
