"""The action format: SWE-agent XML function calls, parsed exactly as swe-srl's TypeScript parser does
(src/srl/action-xml.ts), so that a reply gets the same reason code and the same canonical rendering in both.

    <function=bash>
    <parameter=command>grep -rn "def foo" /testbed/src</parameter>
    </function>

Parameter values are kept verbatim; a value runs to the first ``</parameter>``. Whitespace means what it means in
JavaScript (``String.prototype.trim`` and the regex ``\\s``), which differs from ``str.isspace`` (JS counts U+FEFF,
Python counts U+001C..U+001F and U+0085), and digits are ASCII digits only, as in a JS regex without the u flag.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Dict, Optional, Tuple, Union

# JavaScript's WhiteSpace and LineTerminator code points: what trim() removes and /\s/ matches.
JS_WHITESPACE = frozenset(
    "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000\ufeff"
)
_WS_CLASS = "[" + "".join(f"\\u{ord(c):04x}" for c in sorted(JS_WHITESPACE)) + "]"
_INTEGER = re.compile(r"-?[0-9]+")
_RANGE = re.compile(rf"\[{_WS_CLASS}*-?[0-9]+{_WS_CLASS}*,{_WS_CLASS}*-?[0-9]+{_WS_CLASS}*\]")


def js_trim_start(s: str) -> str:
    """String.prototype.trimStart."""
    i = 0
    while i < len(s) and s[i] in JS_WHITESPACE:
        i += 1
    return s[i:]


def js_trim(s: str) -> str:
    """String.prototype.trim."""
    s = js_trim_start(s)
    j = len(s)
    while j > 0 and s[j - 1] in JS_WHITESPACE:
        j -= 1
    return s[:j]


@dataclass(frozen=True)
class Param:
    name: str
    type: str  # "string" | "integer" | "array"
    required: bool
    enum: Optional[Tuple[str, ...]] = None


@dataclass(frozen=True)
class Tool:
    name: str
    params: Tuple[Param, ...]  # in canonical rendering order
    required_by_command: Optional[Dict[str, Tuple[str, ...]]] = None


EDITOR_COMMANDS = ("view", "create", "str_replace", "insert", "undo_edit")

TOOLS: Tuple[Tool, ...] = (
    Tool("bash", (Param("command", "string", True),)),
    Tool(
        "str_replace_editor",
        (
            Param("command", "string", True, EDITOR_COMMANDS),
            Param("path", "string", True),
            Param("file_text", "string", False),
            Param("old_str", "string", False),
            Param("new_str", "string", False),
            Param("insert_line", "integer", False),
            Param("view_range", "array", False),
        ),
        {"create": ("file_text",), "str_replace": ("old_str",), "insert": ("insert_line", "new_str")},
    ),
    Tool("submit", ()),
)
_TOOL_BY_NAME = {t.name: t for t in TOOLS}

FN_OPEN = "<function="
FN_CLOSE = "</function>"
PARAM_OPEN = "<parameter="
PARAM_CLOSE = "</parameter>"


@dataclass(frozen=True)
class ToolCall:
    tool: str
    args: Dict[str, str]


@dataclass(frozen=True)
class CallParsed:
    call: ToolCall
    start: int
    end: int
    ok: bool = True


@dataclass(frozen=True)
class CallError:
    reason: str
    detail: str
    ok: bool = False


def render_call(call: ToolCall) -> str:
    """Canonical text of a valid call: one parameter per block in the tool table's order, values verbatim."""
    spec = _TOOL_BY_NAME[call.tool]
    out = f"{FN_OPEN}{call.tool}>\n"
    for p in spec.params:
        value = call.args.get(p.name)
        if value is not None:
            out += f"{PARAM_OPEN}{p.name}>{value}{PARAM_CLOSE}\n"
    return out + FN_CLOSE


def parse_call(text: str) -> Union[CallParsed, CallError]:
    """Parses a text that holds exactly one call, with only whitespace around it."""
    start = text.find(FN_OPEN)
    if start < 0:
        return CallError("no_call", f"no {FN_OPEN}...{FN_CLOSE} call found")
    if js_trim(text[:start]) != "":
        return CallError("text_before_call", f"text before the call: {_preview(js_trim(text[:start]))}")
    read = read_call_at(text, start)
    if not read.ok:
        return read
    rest = text[read.end :]
    if js_trim(rest) != "":
        if FN_OPEN in rest:
            return CallError("multiple_calls", "more than one function call")
        return CallError("extra_text", f"text after the call: {_preview(js_trim(rest))}")
    return read


def read_call_at(text: str, start: int) -> Union[CallParsed, CallError]:
    """Reads one call starting at text[start] (which must begin with ``<function=``) and validates it."""
    if not text.startswith(FN_OPEN, start):
        return CallError("no_call", f"expected {FN_OPEN} at offset {start}")
    name_start = start + len(FN_OPEN)
    name_end = _tag_end(text, name_start)
    if name_end < 0:
        return CallError("unclosed_tag", f"{FN_OPEN} tag is not closed by '>'")
    tool = js_trim(text[name_start:name_end])
    params: Dict[str, str] = {}
    at = name_end + 1
    while True:
        at = _skip_whitespace(text, at)
        if at >= len(text):
            return CallError("unclosed_tag", f"{FN_OPEN}{tool}> is not closed by {FN_CLOSE}")
        if text.startswith(FN_CLOSE, at):
            at += len(FN_CLOSE)
            break
        if not text.startswith(PARAM_OPEN, at):
            if text.startswith(FN_OPEN, at):
                return CallError("malformed_call", f"{FN_OPEN} inside the call to {tool}")
            return CallError("malformed_call", f"unexpected text inside the call to {tool}: {_preview(text[at:])}")
        p_start = at + len(PARAM_OPEN)
        p_end = _tag_end(text, p_start)
        if p_end < 0:
            return CallError("unclosed_tag", f"{PARAM_OPEN} tag is not closed by '>'")
        name = js_trim(text[p_start:p_end])
        close = text.find(PARAM_CLOSE, p_end + 1)
        if close < 0:
            return CallError("unclosed_tag", f"{PARAM_OPEN}{name}> is not closed by {PARAM_CLOSE}")
        if name in params:
            return CallError("duplicate_parameter", f"parameter {name} given twice")
        params[name] = text[p_end + 1 : close]
        at = close + len(PARAM_CLOSE)
    invalid = validate_call(tool, params)
    if invalid is not None:
        return invalid
    return CallParsed(ToolCall(tool, params), start, at)


def validate_call(tool: str, args: Dict[str, str]) -> Optional[CallError]:
    """Checks a tool name and its arguments against the tool table; None when valid."""
    spec = _TOOL_BY_NAME.get(tool)
    if spec is None:
        names = ", ".join(t.name for t in TOOLS)
        return CallError("unknown_tool", f"unknown tool {tool!r}; tools: {names}")
    by_name = {p.name: p for p in spec.params}
    for name in args:
        if name not in by_name:
            return CallError("unknown_parameter", f"{tool} has no parameter {name!r}")
    for p in spec.params:
        if p.required and p.name not in args:
            return CallError("missing_parameter", f"{tool} needs {p.name}")
    for p in spec.params:
        if p.name in args:
            bad = _check_value(p, args[p.name])
            if bad is not None:
                return CallError("invalid_value", f"{tool}.{p.name}: {bad}")
    command = args.get("command")
    needs = () if command is None or spec.required_by_command is None else spec.required_by_command.get(js_trim(command), ())
    for name in needs:
        if name not in args:
            return CallError("missing_parameter", f"{tool} {js_trim(command or '')} needs {name}")
    return None


def _check_value(p: Param, value: str) -> Optional[str]:
    v = js_trim(value)
    if p.enum is not None and v not in p.enum:
        return f"{v!r} is not one of {', '.join(p.enum)}"
    if p.type == "integer" and not _INTEGER.fullmatch(v):
        return f"{v!r} is not an integer"
    if p.type == "array" and not _RANGE.fullmatch(v):
        return f"{v!r} is not [start, end]"
    return None


def _tag_end(text: str, start: int) -> int:
    """Index of the '>' closing a tag name that starts at `start`, or -1 when a newline, '<' or the end comes first."""
    for i in range(start, len(text)):
        c = text[i]
        if c == ">":
            return i
        if c == "\n" or c == "<":
            return -1
    return -1


def _skip_whitespace(text: str, at: int) -> int:
    while at < len(text) and text[at] in JS_WHITESPACE:
        at += 1
    return at


def _preview(s: str) -> str:
    one = repr(s)
    return one if len(one) <= 60 else one[:57] + "..."
