import pytest

from confparse import ParseError, parse


def test_sections_and_values():
    cfg = parse("[server]\nhost = example.org\nport = 8080\n")
    assert cfg.sections() == ["server"]
    assert cfg.get("server", "host") == "example.org"
    assert cfg.get_int("server", "port") == 8080


def test_colon_separator():
    cfg = parse("[a]\nname: value\n")
    assert cfg.get("a", "name") == "value"


def test_keys_are_case_insensitive():
    cfg = parse("[a]\nUserName = bob\n")
    assert cfg.get("a", "username") == "bob"
    assert cfg.get("a", "USERNAME") == "bob"


def test_full_line_comments_ignored():
    cfg = parse("# comment\n; another\n[a]\n  # indented comment\nx = 1\n")
    assert cfg.items("a") == {"x": "1"}


def test_inline_hash_comment():
    cfg = parse("[a]\nport = 8080 # the port\n")
    assert cfg.get("a", "port") == "8080"


def test_hash_without_leading_space_kept():
    cfg = parse("[colors]\nprimary = #ff0000\n")
    assert cfg.get("colors", "primary") == "#ff0000"


def test_quoted_values_unquoted():
    cfg = parse("[a]\nx = \"hello world\"\ny = 'single'\n")
    assert cfg.get("a", "x") == "hello world"
    assert cfg.get("a", "y") == "single"


def test_default_section_inherited():
    cfg = parse("timeout = 5\n[a]\nx = 1\n[b]\ntimeout = 9\n")
    assert cfg.get_int("a", "timeout") == 5
    assert cfg.get_int("b", "timeout") == 9


def test_continuation_lines():
    cfg = parse("[a]\nhosts = one\n  two\n  three\n")
    assert cfg.get("a", "hosts") == "one\ntwo\nthree"
    assert cfg.get_list("a", "hosts") == ["one", "two", "three"]


def test_empty_value():
    cfg = parse("[a]\nx =\n")
    assert cfg.get("a", "x") == ""


def test_malformed_line_raises_with_line_number():
    with pytest.raises(ParseError) as info:
        parse("[a]\nx = 1\nnot an option\n")
    assert info.value.lineno == 3
