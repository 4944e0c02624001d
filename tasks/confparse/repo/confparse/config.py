"""The parsed configuration and its typed getters."""

DEFAULT_SECTION = "DEFAULT"

_TRUE = {"1", "yes", "true", "on"}
_FALSE = {"0", "no", "false", "off"}
_MISSING = object()


class Config:
    def __init__(self, sections):
        self._sections = sections

    def sections(self):
        """Section names in file order, without DEFAULT."""
        return [name for name in self._sections if name != DEFAULT_SECTION]

    def has_section(self, section):
        return section in self._sections

    def items(self, section):
        """The section's values merged over the DEFAULT section's values."""
        if section not in self._sections:
            raise KeyError(section)
        merged = dict(self._sections.get(DEFAULT_SECTION, {}))
        merged.update(self._sections[section])
        return merged

    def get(self, section, key, default=_MISSING):
        try:
            return self.items(section)[key.lower()]
        except KeyError:
            if default is _MISSING:
                raise KeyError(f"{section}.{key}") from None
            return default

    def get_int(self, section, key, default=_MISSING):
        value = self.get(section, key, default)
        return value if value is default else int(value)

    def get_bool(self, section, key, default=_MISSING):
        value = self.get(section, key, default)
        if value is default:
            return value
        lowered = value.strip().lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise ValueError(f"{section}.{key}: not a boolean: {value!r}")

    def get_list(self, section, key, default=_MISSING, sep=","):
        value = self.get(section, key, default)
        if value is default:
            return value
        return [item.strip() for item in value.replace("\n", sep).split(sep) if item.strip()]
