"""Turn configuration text into a Config."""
import re

from .config import DEFAULT_SECTION, Config
from .errors import ParseError

_SECTION = re.compile(r"^\[(?P<name>[^\]]+)\]\s*$")
_OPTION = re.compile(r"^(?P<key>[^=:\s][^=:]*?)\s*[=:]\s*(?P<value>.*)$")
_COMMENT_PREFIXES = ("#", ";")


def _strip_inline_comment(value):
    index = value.find(" #")
    if index != -1:
        value = value[:index]
    return value.rstrip()


def _unquote(value):
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def parse(text):
    """Parse INI-style ``text`` and return a Config."""
    sections = {DEFAULT_SECTION: {}}
    current = sections[DEFAULT_SECTION]
    last_key = None
    for lineno, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if not stripped or stripped.startswith(_COMMENT_PREFIXES):
            continue
        if raw[0].isspace() and last_key is not None:
            current[last_key] += "\n" + _unquote(_strip_inline_comment(stripped))
            continue
        section = _SECTION.match(stripped)
        if section:
            name = section.group("name").strip()
            current = sections.setdefault(name, {})
            last_key = None
            continue
        option = _OPTION.match(stripped)
        if not option:
            raise ParseError(f"expected 'key = value' or '[section]', got {stripped!r}", lineno)
        last_key = option.group("key").strip().lower()
        current[last_key] = _unquote(_strip_inline_comment(option.group("value")))
    return Config(sections)
