"""commdata: trustworthy data from the communiqués of CPC committee plenary sessions."""

__version__ = "0.1.0"
