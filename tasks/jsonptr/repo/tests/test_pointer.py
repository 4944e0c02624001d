import pytest

from jsonptr import JsonPointerError, escape, parse, resolve, set_value, to_pointer, unescape

# The example document of RFC 6901, section 5.
RFC_DOC = {
    "foo": ["bar", "baz"],
    "": 0,
    "a/b": 1,
    "c%d": 2,
    "e^f": 3,
    "g|h": 4,
    "i\\j": 5,
    'k"l': 6,
    " ": 7,
    "m~n": 8,
}


@pytest.mark.parametrize(
    "pointer, expected",
    [
        ("", RFC_DOC),
        ("/foo", ["bar", "baz"]),
        ("/foo/0", "bar"),
        ("/", 0),
        ("/a~1b", 1),
        ("/c%d", 2),
        ("/e^f", 3),
        ("/g|h", 4),
        ("/i\\j", 5),
        ('/k"l', 6),
        ("/ ", 7),
        ("/m~0n", 8),
    ],
    ids=["root", "foo", "foo-0", "empty-key", "slash", "percent", "caret", "pipe", "backslash", "quote", "space",
         "tilde"],
)
def test_rfc_examples(pointer, expected):
    assert resolve(RFC_DOC, pointer) == expected


def test_escaped_keys():
    assert unescape("a~1b") == "a/b"
    assert unescape("m~0n") == "m~n"
    assert escape("a/b~c") == "a~1b~0c"


def test_parse_requires_leading_slash():
    with pytest.raises(JsonPointerError):
        parse("foo")


def test_to_pointer_with_indices():
    assert to_pointer(["foo", 0]) == "/foo/0"
    assert to_pointer([]) == ""


@pytest.mark.parametrize("pointer", ["/missing", "/foo/2", "/foo/01", "/foo/-", "/foo/0/x"])
def test_unresolvable(pointer):
    with pytest.raises(JsonPointerError):
        resolve(RFC_DOC, pointer)


def test_default_when_unresolvable():
    assert resolve({"a": 1}, "/b", default=None) is None


def test_set_value_nested_and_append():
    doc = {"a": {"b": [1]}}
    set_value(doc, "/a/b/-", 2)
    set_value(doc, "/a/b/0", 0)
    set_value(doc, "/a/c", "new")
    assert doc == {"a": {"b": [0, 2], "c": "new"}}


def test_set_value_rejects_root():
    with pytest.raises(JsonPointerError):
        set_value({}, "", 1)
