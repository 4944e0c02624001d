"""The swe-srl SRL step reward as a verl reward function (custom_reward_function.path / name: compute_score).

The same rule as swe-srl's TypeScript scorer (src/srl/response.ts, action-xml.ts, reward.ts):
  response := ws* "<think>" thinking "</think>" ws* call ws*   (exactly one known tool call, nothing else)
  reward   := difflib.SequenceMatcher(None, render(call), ground_truth, autojunk=AUTOJUNK).ratio()
              or -1.0 when the response does not parse.
render(call) is the canonical text: one parameter per line in the tool table's order, values verbatim, so parameter
order and tag spacing never move the reward. Whitespace is JavaScript's (String.prototype.trim and /\\s/), and digit
checks are ASCII, so both scorers read every response the same way. Standard library only.
"""

import difflib
import re

# Written by `swe-srl export verl` from the config's reward.autojunk (SWE-RL: False).
AUTOJUNK = False

FORMAT_ERROR_REWARD = -1.0

# ECMAScript WhiteSpace + LineTerminator: what JS trim() strips and /\s/ matches.
_JS_WS = "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
_WS_CLASS = "[" + re.escape(_JS_WS) + "]"
_INTEGER = re.compile(r"-?[0-9]+")
_RANGE = re.compile(r"\[" + _WS_CLASS + r"*-?[0-9]+" + _WS_CLASS + r"*," + _WS_CLASS + r"*-?[0-9]+" + _WS_CLASS + r"*\]")

# name -> (parameters in canonical order: (name, type, required, enum)), extra required parameters by command
_EDITOR_COMMANDS = ("view", "create", "str_replace", "insert", "undo_edit")
TOOLS = {
    "bash": ([("command", "string", True, None)], {}),
    "str_replace_editor": (
        [
            ("command", "string", True, _EDITOR_COMMANDS),
            ("path", "string", True, None),
            ("file_text", "string", False, None),
            ("old_str", "string", False, None),
            ("new_str", "string", False, None),
            ("insert_line", "integer", False, None),
            ("view_range", "array", False, None),
        ],
        {"create": ["file_text"], "str_replace": ["old_str"], "insert": ["insert_line", "new_str"]},
    ),
    "submit": ([], {}),
}

FN_OPEN, FN_CLOSE = "<function=", "</function>"
PARAM_OPEN, PARAM_CLOSE = "<parameter=", "</parameter>"
THINK_OPEN, THINK_CLOSE = "<think>", "</think>"


class FormatError(Exception):
    """The response is not <think>...</think> plus one valid call; reason is swe-srl's reason code."""

    def __init__(self, reason, detail=""):
        super().__init__(f"{reason}: {detail}")
        self.reason = reason


def js_trim(s):
    return s.strip(_JS_WS)


def js_trim_start(s):
    return s.lstrip(_JS_WS)


def _tag_end(text, start):
    """Index of the '>' closing a tag name that starts at `start`, or -1 when a newline, '<' or the end comes first."""
    for i in range(start, len(text)):
        c = text[i]
        if c == ">":
            return i
        if c in "\n<":
            return -1
    return -1


def _skip_ws(text, at):
    while at < len(text) and text[at] in _JS_WS:
        at += 1
    return at


def _check_value(ptype, enum, value):
    v = js_trim(value)
    if enum is not None and v not in enum:
        return False
    if ptype == "integer" and not _INTEGER.fullmatch(v):
        return False
    if ptype == "array" and not _RANGE.fullmatch(v):
        return False
    return True


def _validate(tool, args):
    if tool not in TOOLS:
        raise FormatError("unknown_tool", tool)
    params, by_command = TOOLS[tool]
    names = {p[0] for p in params}
    for name in args:
        if name not in names:
            raise FormatError("unknown_parameter", name)
    for name, _, required, _ in params:
        if required and name not in args:
            raise FormatError("missing_parameter", name)
    for name, ptype, _, enum in params:
        if name in args and not _check_value(ptype, enum, args[name]):
            raise FormatError("invalid_value", name)
    command = args.get("command")
    for name in by_command.get(js_trim(command), []) if command is not None else []:
        if name not in args:
            raise FormatError("missing_parameter", name)


def _read_call_at(text, start):
    """Reads the call at text[start:] (which starts with <function=); returns (tool, args, end)."""
    name_start = start + len(FN_OPEN)
    name_end = _tag_end(text, name_start)
    if name_end < 0:
        raise FormatError("unclosed_tag", FN_OPEN)
    tool = js_trim(text[name_start:name_end])
    args = {}
    at = name_end + 1
    while True:
        at = _skip_ws(text, at)
        if at >= len(text):
            raise FormatError("unclosed_tag", FN_CLOSE)
        if text.startswith(FN_CLOSE, at):
            at += len(FN_CLOSE)
            break
        if not text.startswith(PARAM_OPEN, at):
            raise FormatError("malformed_call", text[at : at + 40])
        p_start = at + len(PARAM_OPEN)
        p_end = _tag_end(text, p_start)
        if p_end < 0:
            raise FormatError("unclosed_tag", PARAM_OPEN)
        name = js_trim(text[p_start:p_end])
        close = text.find(PARAM_CLOSE, p_end + 1)
        if close < 0:
            raise FormatError("unclosed_tag", PARAM_CLOSE)
        if name in args:
            raise FormatError("duplicate_parameter", name)
        args[name] = text[p_end + 1 : close]
        at = close + len(PARAM_CLOSE)
    _validate(tool, args)
    return tool, args, at


def parse_call(text):
    """One call with only whitespace around it -> (tool, args)."""
    start = text.find(FN_OPEN)
    if start < 0:
        raise FormatError("no_call")
    if js_trim(text[:start]) != "":
        raise FormatError("text_before_call")
    tool, args, end = _read_call_at(text, start)
    rest = text[end:]
    if js_trim(rest) != "":
        raise FormatError("multiple_calls" if FN_OPEN in rest else "extra_text")
    return tool, args


def parse_response(response):
    """<think>thinking</think> call -> (thinking, tool, args)."""
    body = js_trim_start(response)
    if body == "":
        raise FormatError("empty_response")
    if not body.startswith(THINK_OPEN):
        raise FormatError("missing_think")
    close = body.find(THINK_CLOSE, len(THINK_OPEN))
    if close < 0:
        raise FormatError("unclosed_think")
    thinking = body[len(THINK_OPEN) : close]
    rest = body[close + len(THINK_CLOSE) :]
    if js_trim_start(rest).startswith(THINK_OPEN):
        raise FormatError("multiple_think")
    tool, args = parse_call(rest)
    return thinking, tool, args


def render_call(tool, args):
    """The canonical text of a call (the form expert actions are stored in)."""
    out = f"{FN_OPEN}{tool}>\n"
    for name, _, _, _ in TOOLS[tool][0]:
        if name in args:
            out += f"{PARAM_OPEN}{name}>{args[name]}{PARAM_CLOSE}\n"
    return out + FN_CLOSE


def score(response, target, autojunk=None):
    """(reward, status): the SRL reward and "ok" or the reason code of a malformed response."""
    try:
        _, tool, args = parse_response(response)
    except FormatError as e:
        return FORMAT_ERROR_REWARD, e.reason
    action = render_call(tool, args)
    matcher = difflib.SequenceMatcher(None, action, target, autojunk=AUTOJUNK if autojunk is None else autojunk)
    return matcher.ratio(), "ok"


def compute_score(data_source, solution_str, ground_truth, extra_info=None, **kwargs):
    """verl's reward-function signature: the SRL reward of one decoded response against reward_model.ground_truth."""
    reward, _ = score(solution_str, ground_truth)
    return reward
