"""Why an input cannot be used at all: the run stops with exit status 2, nothing committed."""

from __future__ import annotations


class InputError(Exception):
    """An input path cannot be used at all (missing, unreadable, or of an unknown format)."""


class DecompressionLimitError(InputError):
    """A compressed file gives more bytes, or at a higher ratio, than the caps allow."""
