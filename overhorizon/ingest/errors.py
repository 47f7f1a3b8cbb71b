"""The exception readers raise to reject an input; the runner turns it into a Rejection."""

from __future__ import annotations

from overhorizon import reasons


class Reject(Exception):
    """Reject the current input with a catalogue code and a specific message."""

    def __init__(self, code: str, message: str) -> None:
        reasons.get(code)  # fail loudly on a code missing from the catalogue
        self.code = code
        self.message = message
        super().__init__(f"{code}: {message}")
