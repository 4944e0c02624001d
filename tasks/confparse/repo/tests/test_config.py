import pytest

from confparse import parse


@pytest.fixture
def cfg():
    return parse("[flags]\ndebug = yes\nverbose = off\nweird = maybe\n[lists]\nnames = a, b,,c\n")


def test_get_bool(cfg):
    assert cfg.get_bool("flags", "debug") is True
    assert cfg.get_bool("flags", "verbose") is False


def test_get_bool_invalid(cfg):
    with pytest.raises(ValueError):
        cfg.get_bool("flags", "weird")


def test_get_list(cfg):
    assert cfg.get_list("lists", "names") == ["a", "b", "c"]


def test_missing_key_default(cfg):
    assert cfg.get("flags", "nope", default=None) is None
    assert cfg.get_int("flags", "nope", default=3) == 3


def test_missing_key_raises(cfg):
    with pytest.raises(KeyError):
        cfg.get("flags", "nope")


def test_missing_section_raises(cfg):
    with pytest.raises(KeyError):
        cfg.items("nope")
