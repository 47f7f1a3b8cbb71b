"""Near-duplicate fingerprints: MinHash (datasketch) of word shingles and LSH band keys.

The store keeps the band keys in an indexed table, so candidates are found with one query and
no in-memory index has to be rebuilt on each run. Band and row counts come from datasketch's
choice for the threshold, so the false-positive/false-negative balance is datasketch's.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from functools import lru_cache
from typing import Any

import numpy as np

from overhorizon.records import Fingerprint

_WORD_RE = re.compile(r"\w+", re.UNICODE)


@lru_cache(maxsize=8)
def lsh_shape(threshold: float, num_perm: int) -> tuple[int, int]:
    """Return datasketch's (bands, rows) for a Jaccard threshold and permutation count.

    The weights favour recall (a missed near-duplicate is worse than a candidate that the full
    signature then rules out): at 0.7 and 128 permutations, 20 bands of 6 rows find a pair of
    true similarity 0.76 with probability 0.986 (datasketch's default balance: 0.71). For
    thresholds so high that datasketch would pick a single band, use two bands.
    """
    from datasketch import MinHashLSH  # imported on first use: 0.3 s that `--help` needn't pay

    try:
        lsh = MinHashLSH(threshold=threshold, num_perm=num_perm, weights=(0.1, 0.9))
    except ValueError:
        return 2, num_perm // 2
    return int(lsh.b), int(lsh.r)


def shingles(text: str, k: int) -> set[bytes]:
    """Return the set of k-word shingles of the case-folded text."""
    words = _WORD_RE.findall(text.casefold())
    if len(words) <= k:
        return {" ".join(words).encode("utf-8")}
    return {" ".join(words[i : i + k]).encode("utf-8") for i in range(len(words) - k + 1)}


@lru_cache(maxsize=4)
def _permutations(num_perm: int) -> Any:
    """datasketch's random permutations for ``num_perm`` (seed 1), made once per process."""
    from datasketch import MinHash

    return MinHash(num_perm=num_perm, seed=1, scheme="affine32").permutations


def _crc32(data: bytes) -> int:
    """32-bit shingle hash: stable across processes and runs, and cheap."""
    return zlib.crc32(data)


def fingerprint(text: str, *, threshold: float, num_perm: int, k: int) -> Fingerprint:
    """Return the MinHash signature and band keys of ``text``."""
    from datasketch import MinHash

    mh = MinHash(
        num_perm=num_perm, hashfunc=_crc32, permutations=_permutations(num_perm), scheme="affine32"
    )
    mh.update_batch(list(shingles(text, k)))
    values = np.asarray(mh.hashvalues, dtype=np.uint64)
    b, r = lsh_shape(threshold, num_perm)
    bands = tuple(
        f"{num_perm}.{r}.{i}:"
        + hashlib.blake2b(values[i * r : (i + 1) * r].tobytes(), digest_size=10).hexdigest()
        for i in range(b)
    )
    return Fingerprint(signature=values.tobytes(), bands=bands)


def similarity(a: bytes, b: bytes) -> float:
    """Estimate Jaccard similarity from two MinHash signatures of the same length."""
    va = np.frombuffer(a, dtype=np.uint64)
    vb = np.frombuffer(b, dtype=np.uint64)
    if len(va) != len(vb) or len(va) == 0:
        return 0.0
    return float(np.count_nonzero(va == vb)) / len(va)
