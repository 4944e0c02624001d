"""Parses a policy reply: ``<think>...</think>`` followed by exactly one XML function call, nothing else, with the
same grammar and reason codes as swe-srl's TypeScript parser (src/srl/response.ts).

    response := ws* "<think>" thinking "</think>" ws* call ws*

thinking runs to the first ``</think>``; call is one ``<function=NAME>...</function>`` of a known tool with valid
parameters (see action_xml.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Union

from .action_xml import CallError, ToolCall, js_trim_start, parse_call

# Every reason code a reply can fail with, in the TypeScript scorer's order.
RESPONSE_ERROR_REASONS = (
    "empty_response",
    "missing_think",
    "unclosed_think",
    "multiple_think",
    "no_call",
    "text_before_call",
    "unclosed_tag",
    "malformed_call",
    "unknown_tool",
    "unknown_parameter",
    "duplicate_parameter",
    "missing_parameter",
    "invalid_value",
    "multiple_calls",
    "extra_text",
)

THINK_OPEN = "<think>"
THINK_CLOSE = "</think>"


@dataclass(frozen=True)
class ParsedResponse:
    thinking: str
    call: ToolCall
    action_text: str  # the call exactly as written, <function= to </function>
    ok: bool = True


@dataclass(frozen=True)
class ResponseFormatError:
    reason: str
    detail: str
    ok: bool = False


def parse_response(response: str) -> Union[ParsedResponse, ResponseFormatError]:
    """Parses one reply into its thinking and its single tool call, or says why it is malformed."""
    body = js_trim_start(response)
    if body == "":
        return ResponseFormatError("empty_response", "the response is empty or whitespace only")
    if not body.startswith(THINK_OPEN):
        where = body.find(THINK_OPEN)
        detail = f"the response does not start with {THINK_OPEN}" if where < 0 else f"text before {THINK_OPEN}"
        return ResponseFormatError("missing_think", detail)
    close = body.find(THINK_CLOSE, len(THINK_OPEN))
    if close < 0:
        return ResponseFormatError("unclosed_think", f"{THINK_OPEN} is not closed by {THINK_CLOSE}")
    thinking = body[len(THINK_OPEN) : close]
    rest = body[close + len(THINK_CLOSE) :]
    if js_trim_start(rest).startswith(THINK_OPEN):
        return ResponseFormatError("multiple_think", f"a second {THINK_OPEN} block follows the first")
    parsed = parse_call(rest)
    if isinstance(parsed, CallError):
        return ResponseFormatError(parsed.reason, parsed.detail)
    return ParsedResponse(thinking, parsed.call, rest[parsed.start : parsed.end])
