"""The unit table shared by the parser and the formatter."""
from collections import namedtuple

Unit = namedtuple("Unit", "symbol seconds aliases")

# Largest first: the formatter emits units in this order.
UNITS = (
    Unit("w", 604800, ("weeks", "week", "wk", "w")),
    Unit("d", 86400, ("days", "day", "d")),
    Unit("h", 3600, ("hours", "hour", "hrs", "hr", "h")),
    Unit("m", 60, ("minutes", "minute", "mins", "min", "m")),
    Unit("s", 1, ("seconds", "second", "secs", "sec", "s")),
    Unit("ms", 0.001, ("milliseconds", "millisecond", "msec", "ms")),
)

SECONDS_BY_ALIAS = {alias: unit.seconds for unit in UNITS for alias in unit.aliases}
