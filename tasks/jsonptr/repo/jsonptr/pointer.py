"""Parsing, formatting and evaluating JSON Pointers."""
import re

_ARRAY_INDEX = re.compile(r"^(0|[1-9][0-9]*)$")
_MISSING = object()


class JsonPointerError(LookupError):
    """The pointer is malformed or does not resolve in the document."""


def escape(token):
    """Encode one reference token: '~' -> '~0', '/' -> '~1'."""
    return str(token).replace("~", "~0").replace("/", "~1")


def unescape(token):
    """Decode one reference token: '~1' -> '/', '~0' -> '~'."""
    return token.replace("~0", "~").replace("~1", "/")


def parse(pointer):
    """Split a pointer into its decoded reference tokens; '' is the whole document."""
    if pointer == "":
        return []
    if not pointer.startswith("/"):
        raise JsonPointerError(f"pointer must be empty or start with '/': {pointer!r}")
    return [unescape(token) for token in pointer[1:].split("/")]


def to_pointer(tokens):
    """Build a pointer from reference tokens (strings or list indices)."""
    return "".join("/" + escape(token) for token in tokens)


def _child(node, token, pointer):
    if isinstance(node, dict):
        if token not in node:
            raise JsonPointerError(f"{pointer!r}: no key {token!r}")
        return node[token]
    if isinstance(node, list):
        if not _ARRAY_INDEX.match(token) or int(token) >= len(node):
            raise JsonPointerError(f"{pointer!r}: no index {token!r} in a list of {len(node)}")
        return node[int(token)]
    raise JsonPointerError(f"{pointer!r}: cannot descend into {type(node).__name__}")


def resolve(doc, pointer, default=_MISSING):
    """The value ``pointer`` refers to in ``doc``; ``default`` (if given) when it does not resolve."""
    node = doc
    try:
        for token in parse(pointer):
            node = _child(node, token, pointer)
    except JsonPointerError:
        if default is _MISSING:
            raise
        return default
    return node


def set_value(doc, pointer, value):
    """Set the value at ``pointer`` in place; '-' as the last token of a list pointer appends."""
    tokens = parse(pointer)
    if not tokens:
        raise JsonPointerError("cannot replace the whole document in place")
    parent = doc
    for token in tokens[:-1]:
        parent = _child(parent, token, pointer)
    last = tokens[-1]
    if isinstance(parent, dict):
        parent[last] = value
    elif isinstance(parent, list):
        if last == "-":
            parent.append(value)
        elif _ARRAY_INDEX.match(last) and int(last) < len(parent):
            parent[int(last)] = value
        else:
            raise JsonPointerError(f"{pointer!r}: no index {last!r} in a list of {len(parent)}")
    else:
        raise JsonPointerError(f"{pointer!r}: cannot set a member of {type(parent).__name__}")
