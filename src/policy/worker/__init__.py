"""swe-srl policy worker: a PyTorch process driven over JSON lines on stdio (see __main__.py for the protocol)."""
