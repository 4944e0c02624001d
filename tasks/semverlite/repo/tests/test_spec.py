import pytest

from semverlite import max_satisfying, satisfies


@pytest.mark.parametrize(
    "version, spec, expected",
    [
        ("1.4.2", ">=1.4.0, <2.0.0", True),
        ("2.0.0", ">=1.4.0, <2.0.0", False),
        ("1.4.2", "1.4.2", True),
        ("1.4.2", "!=1.4.2", False),
        ("1.4.2", ">1.4", True),
        ("0.9.0", ">=1", False),
    ],
)
def test_satisfies(version, spec, expected):
    assert satisfies(version, spec) is expected


def test_max_satisfying():
    assert max_satisfying(["1.3.9", "1.4.2", "2.0.0"], "<2") == "1.4.2"


def test_max_satisfying_none():
    assert max_satisfying(["1.0.0"], ">=2") is None


def test_invalid_clause():
    with pytest.raises(ValueError):
        satisfies("1.0.0", ">=")
