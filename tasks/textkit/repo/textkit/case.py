"""Case conversion between snake_case, kebab-case, camelCase and PascalCase."""
import re

# An acronym followed by a capitalised word ("HTTPResponse"), a capitalised or lower word, or a number.
_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")


def split_words(text):
    """Split ``text`` into words on case changes, digits and any non-alphanumeric character."""
    return _WORD.findall(text)


def snake_case(text):
    return "_".join(word.lower() for word in split_words(text))


def kebab_case(text):
    return "-".join(word.lower() for word in split_words(text))


def pascal_case(text):
    return "".join(word.capitalize() for word in split_words(text))


def camel_case(text):
    words = split_words(text)
    if not words:
        return ""
    return words[0].lower() + "".join(word.capitalize() for word in words[1:])
