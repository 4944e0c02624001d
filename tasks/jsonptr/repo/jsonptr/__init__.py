"""jsonptr: RFC 6901 JSON Pointers for plain Python data."""
from .pointer import JsonPointerError, escape, parse, resolve, set_value, to_pointer, unescape

__all__ = ["JsonPointerError", "escape", "parse", "resolve", "set_value", "to_pointer", "unescape"]
__version__ = "1.0.3"
