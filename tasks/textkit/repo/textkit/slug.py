"""URL slugs."""
import re
import unicodedata

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def slugify(text, sep="-"):
    """Return a lowercase ASCII slug of ``text``; accents are folded and other runs of characters become ``sep``."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _NON_ALNUM.sub(sep, folded.lower()).strip(sep)
