"""Parse durations such as '1h30m', '2 days, 4 hours' or '90'."""
import re

from .units import SECONDS_BY_ALIAS

_NUMBER = r"(?:\d+(?:\.\d*)?|\.\d+)"
_TERM = re.compile(
    r"[\s,]*(?P<number>" + _NUMBER + r")\s*(?P<unit>" + "|".join(SECONDS_BY_ALIAS) + r")",
    re.IGNORECASE,
)
_BARE_NUMBER = re.compile(r"\s*" + _NUMBER + r"\s*")


def parse_duration(text):
    """Return the number of seconds in ``text``; raise ValueError if it is not a duration."""
    if _BARE_NUMBER.fullmatch(text):
        return float(text)
    total = 0.0
    position = 0
    end = len(text.rstrip())
    if end == 0:
        raise ValueError("empty duration")
    while position < end:
        term = _TERM.match(text, position)
        if term is None:
            raise ValueError(f"invalid duration {text!r} at position {position}")
        total += float(term.group("number")) * SECONDS_BY_ALIAS[term.group("unit").lower()]
        position = term.end()
    return total
