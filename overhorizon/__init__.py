"""overhorizon: watch a conflict region through what is published about it."""

__version__ = "0.1.0"
