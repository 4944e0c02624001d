"""Version ranges: comma-separated comparisons such as '>=1.2.0, <2.0.0'."""
import operator
import re

from .version import Version

_OPERATORS = {
    ">=": operator.ge,
    "<=": operator.le,
    ">": operator.gt,
    "<": operator.lt,
    "==": operator.eq,
    "=": operator.eq,
    "!=": operator.ne,
}
_CLAUSE = re.compile(r"^\s*(?P<op>>=|<=|==|!=|>|<|=)?\s*(?P<version>\S+)\s*$")


def _pad(text):
    """Allow partial versions in ranges: '2' -> '2.0.0', '1.4' -> '1.4.0'."""
    core, rest = re.match(r"^([0-9.]*)(.*)$", text).groups()
    parts = core.split(".") if core else []
    while len(parts) < 3:
        parts.append("0")
    return ".".join(parts) + rest


def _clauses(spec):
    for raw in spec.split(","):
        match = _CLAUSE.match(raw)
        if match is None:
            raise ValueError(f"invalid range clause: {raw!r}")
        yield _OPERATORS[match.group("op") or "=="], Version.parse(_pad(match.group("version")))


def satisfies(version, spec):
    """True when ``version`` meets every clause of ``spec``."""
    version = Version.coerce(version)
    return all(compare(version, bound) for compare, bound in _clauses(spec))


def max_satisfying(versions, spec):
    """The highest of ``versions`` (strings or Versions) meeting ``spec``, or None; returned as given."""
    matching = [v for v in versions if satisfies(v, spec)]
    if not matching:
        return None
    return max(matching, key=Version.coerce)
