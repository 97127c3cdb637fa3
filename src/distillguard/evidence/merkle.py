"""The Merkle tree of Certificate Transparency (RFC 9162 §2.1), its proofs and their checks.

Hashes are SHA-256. A leaf is ``H(0x00 || entry)``, an inner node ``H(0x01 || left || right)``
and the tree of ``n`` leaves splits at ``k``, the largest power of two smaller than ``n``
(the left subtree is always full). The empty tree's hash is ``H("")``.

Proofs are generated from the leaf hashes by the recursive definitions (``PATH`` of §2.1.3.1,
``SUBPROOF`` of §2.1.4.1) and verified by the iterative algorithms of §2.1.3.2 and §2.1.4.2,
which never see the leaves: agreement between the two is what the tests check. No maintained
Python library implements exactly these rules with both proofs, and the code is short.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Final

LEAF_PREFIX: Final = b"\x00"
NODE_PREFIX: Final = b"\x01"
EMPTY_ROOT: Final = hashlib.sha256(b"").digest()


def leaf_hash(entry: bytes) -> bytes:
    return hashlib.sha256(LEAF_PREFIX + entry).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(NODE_PREFIX + left + right).digest()


def _split(n: int) -> int:
    """The largest power of two smaller than ``n`` (``n`` >= 2)."""
    return 1 << ((n - 1).bit_length() - 1)


def root(leaves: Sequence[bytes]) -> bytes:
    """MTH of the tree whose leaf hashes are ``leaves``."""
    n = len(leaves)
    if n == 0:
        return EMPTY_ROOT
    if n == 1:
        return leaves[0]
    k = _split(n)
    return node_hash(root(leaves[:k]), root(leaves[k:]))


def inclusion_proof(index: int, leaves: Sequence[bytes]) -> list[bytes]:
    """PATH(index, D[n]): the audit path of leaf ``index`` in the tree of ``leaves``."""
    n = len(leaves)
    if not 0 <= index < n:
        raise ValueError(f"leaf {index} is not in a tree of {n} leaves")
    if n == 1:
        return []
    k = _split(n)
    if index < k:
        return [*inclusion_proof(index, leaves[:k]), root(leaves[k:])]
    return [*inclusion_proof(index - k, leaves[k:]), root(leaves[:k])]


def _subproof(m: int, leaves: Sequence[bytes], whole: bool) -> list[bytes]:
    n = len(leaves)
    if m == n:
        return [] if whole else [root(leaves)]
    k = _split(n)
    if m <= k:
        return [*_subproof(m, leaves[:k], whole), root(leaves[k:])]
    return [*_subproof(m - k, leaves[k:], False), root(leaves[:k])]


def consistency_proof(m: int, leaves: Sequence[bytes]) -> list[bytes]:
    """PROOF(m, D[n]): shows the tree of the first ``m`` leaves is a prefix of ``leaves``.

    Empty when ``m`` is 0 or ``n`` (nothing to prove beyond comparing the heads).
    """
    n = len(leaves)
    if not 0 <= m <= n:
        raise ValueError(f"a tree of {n} leaves has no prefix of {m}")
    if m in (0, n):
        return []
    return _subproof(m, leaves, True)


def verify_inclusion(
    index: int, size: int, leaf: bytes, proof: Sequence[bytes], root_hash: bytes
) -> bool:
    """RFC 9162 §2.1.3.2: whether ``proof`` shows ``leaf`` at ``index`` under ``root_hash``."""
    if not 0 <= index < size:
        return False
    fn, sn = index, size - 1
    r = leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root_hash


def verify_consistency(
    first_size: int,
    second_size: int,
    proof: Sequence[bytes],
    first_root: bytes,
    second_root: bytes,
) -> bool:
    """RFC 9162 §2.1.4.2: whether ``proof`` shows the first tree is a prefix of the second.

    The RFC's algorithm covers ``0 < m < n``; the ends follow from the definitions: every tree
    extends the empty one, and a tree of the same size must have the same root.
    """
    if not 0 <= first_size <= second_size:
        return False
    if first_size == 0:
        return not proof and first_root == EMPTY_ROOT
    if first_size == second_size:
        return not proof and first_root == second_root
    if not proof:
        return False
    path = list(proof)
    if first_size & (first_size - 1) == 0:  # an exact power of two
        path.insert(0, first_root)
    fn, sn = first_size - 1, second_size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return fr == first_root and sr == second_root and sn == 0
