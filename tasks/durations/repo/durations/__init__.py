"""durations: parse and format human-readable durations."""
from .format import format_duration
from .parse import parse_duration
from .units import UNITS

__all__ = ["UNITS", "format_duration", "parse_duration"]
__version__ = "2.1.0"
