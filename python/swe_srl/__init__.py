"""swe-srl for Python trainers: the SRL step reward (TRL and verl signatures), a dynamic-sampling GRPO trainer for
TRL (``swe_srl.trl``, imported lazily) and a standard-library client for ``swe-srl serve``."""

from .response import ParsedResponse, ResponseFormatError, parse_response
from .rewards import FORMAT_ERROR_REWARD, score_response, similarity, srl_reward

__all__ = [
    "FORMAT_ERROR_REWARD",
    "ParsedResponse",
    "ResponseFormatError",
    "parse_response",
    "score_response",
    "similarity",
    "srl_reward",
]
__version__ = "0.1.0"
