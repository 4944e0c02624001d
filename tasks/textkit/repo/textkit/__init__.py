"""textkit: small text helpers."""
from .case import camel_case, kebab_case, pascal_case, snake_case, split_words
from .slug import slugify
from .truncate import truncate
from .wrap import wrap

__all__ = [
    "camel_case",
    "kebab_case",
    "pascal_case",
    "slugify",
    "snake_case",
    "split_words",
    "truncate",
    "wrap",
]

__version__ = "0.4.1"
