"""Format a number of seconds as a compact duration string."""
from .units import UNITS


def format_duration(seconds):
    """Return the shortest canonical form of ``seconds``, e.g. 5400 -> '1h30m'."""
    if seconds < 0:
        raise ValueError("negative durations are not supported")
    remaining = int(seconds)
    parts = []
    for unit in UNITS:
        if unit.seconds < 1:
            continue
        count, remaining = divmod(remaining, unit.seconds)
        if count:
            parts.append(f"{count}{unit.symbol}")
    return "".join(parts) or "0s"
