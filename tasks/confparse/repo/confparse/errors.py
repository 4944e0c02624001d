class ParseError(ValueError):
    """Raised for malformed configuration text; carries the 1-based line number."""

    def __init__(self, message, lineno):
        super().__init__(f"line {lineno}: {message}")
        self.lineno = lineno
