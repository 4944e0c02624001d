"""Shorten text for display."""


def truncate(text, width, placeholder="..."):
    """Return ``text`` if it fits in ``width`` characters, else cut it at a word boundary and append ``placeholder``.

    The result, placeholder included, is never longer than ``width``.
    """
    if width < len(placeholder):
        raise ValueError(f"width {width} is smaller than the placeholder {placeholder!r}")
    if len(text) < width:
        return text
    room = width - len(placeholder)
    cut = text[: room + 1]
    if " " in cut:
        cut = cut[: cut.rindex(" ")]
    else:
        cut = cut[:room]
    return cut.rstrip() + placeholder
