"""confparse: a forgiving INI-style configuration parser."""
from .config import Config
from .errors import ParseError
from .parser import parse

__all__ = ["Config", "ParseError", "parse"]
__version__ = "1.2.0"
