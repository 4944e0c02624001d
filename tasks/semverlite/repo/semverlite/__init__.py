"""semverlite: Semantic Versioning 2.0.0 versions and ranges."""
from .spec import max_satisfying, satisfies
from .version import InvalidVersion, Version

__all__ = ["InvalidVersion", "Version", "max_satisfying", "satisfies"]
__version__ = "0.9.2"
