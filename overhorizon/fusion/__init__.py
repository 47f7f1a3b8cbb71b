"""Fusion: reports of one happening across articles become one incident (see cluster)."""
