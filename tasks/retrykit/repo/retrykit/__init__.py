"""retrykit: retries with exponential backoff."""
from .backoff import Backoff
from .retry import RetryError, call_with_retry, retry

__all__ = ["Backoff", "RetryError", "call_with_retry", "retry"]
__version__ = "0.6.0"
