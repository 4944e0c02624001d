import pytest

from textkit import camel_case, kebab_case, pascal_case, slugify, snake_case, split_words, truncate, wrap


@pytest.mark.parametrize(
    "text, words",
    [
        ("hello world", ["hello", "world"]),
        ("helloWorld", ["hello", "World"]),
        ("parseHTTPResponse", ["parse", "HTTP", "Response"]),
        ("version2Update", ["version", "2", "Update"]),
        ("already_snake_case", ["already", "snake", "case"]),
        ("", []),
    ],
    ids=["spaces", "camel", "acronym", "digits", "snake", "empty"],
)
def test_split_words(text, words):
    assert split_words(text) == words


def test_snake_case():
    assert snake_case("parseHTTPResponse") == "parse_http_response"


def test_kebab_case():
    assert kebab_case("Hello World") == "hello-world"


def test_pascal_case():
    assert pascal_case("user_id") == "UserId"


def test_camel_case():
    assert camel_case("User ID value") == "userIdValue"


def test_camel_case_empty():
    assert camel_case("  ") == ""


def test_slugify_basic():
    assert slugify("Hello, World!") == "hello-world"


def test_slugify_accents():
    assert slugify("Crème Brûlée") == "creme-brulee"


def test_slugify_custom_separator():
    assert slugify("a b  c", sep="_") == "a_b_c"


def test_slugify_strips_edges():
    assert slugify("  --Already-Slugged--  ") == "already-slugged"


def test_slugify_only_symbols():
    assert slugify("!!!") == ""


class TestTruncate:
    def test_short_text_unchanged(self):
        assert truncate("short", 10) == "short"

    def test_cuts_at_word_boundary(self):
        assert truncate("The quick brown fox", 12) == "The quick..."

    def test_long_single_word(self):
        assert truncate("abcdefghijkl", 8) == "abcde..."

    def test_custom_placeholder(self):
        assert truncate("one two three four", 10, placeholder="~") == "one two~"

    def test_result_never_exceeds_width(self):
        text = "lorem ipsum dolor sit amet consectetur"
        for width in range(3, len(text) + 2):
            assert len(truncate(text, width)) <= width

    def test_width_smaller_than_placeholder(self):
        with pytest.raises(ValueError):
            truncate("hello", 2)


class TestWrap:
    def test_wrap_basic(self):
        assert wrap("the quick brown fox jumps", 10) == ["the quick", "brown fox", "jumps"]

    def test_wrap_long_word_split(self):
        assert wrap("abcdefghij xy", 4) == ["abcd", "efgh", "ij", "xy"]

    def test_wrap_empty(self):
        assert wrap("", 5) == []

    def test_wrap_invalid_width(self):
        with pytest.raises(ValueError):
            wrap("text", 0)
