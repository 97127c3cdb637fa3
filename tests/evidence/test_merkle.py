"""The Merkle tree against RFC 9162's rules: known roots, the RFC's own example tree, and
properties (every honest proof verifies; any altered proof, leaf, index or root fails)."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from distillguard.evidence import merkle

# The leaves and roots of the Certificate Transparency reference test vectors (RFC 6962,
# unchanged in RFC 9162): the tree heads of the first 1..8 of these leaves.
VECTOR_LEAVES = [
    b"",
    b"\x00",
    b"\x10",
    b"\x20\x21",
    b"\x30\x31",
    b"\x40\x41\x42\x43",
    bytes(range(0x50, 0x58)),
    bytes(range(0x60, 0x70)),
]
VECTOR_ROOTS = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]


def leaves_of(n: int) -> list[bytes]:
    return [merkle.leaf_hash(i.to_bytes(4, "big")) for i in range(n)]


def test_the_empty_tree_is_the_hash_of_nothing() -> None:
    assert merkle.root([]) == hashlib.sha256(b"").digest()
    assert merkle.root([]).hex().startswith("e3b0c442")


def test_leaf_and_node_hashes_are_domain_separated() -> None:
    assert merkle.leaf_hash(b"x") == hashlib.sha256(b"\x00x").digest()
    assert merkle.node_hash(b"a", b"b") == hashlib.sha256(b"\x01ab").digest()
    assert merkle.root([merkle.leaf_hash(b"x")]) == merkle.leaf_hash(b"x")


@pytest.mark.parametrize("n", range(1, 9))
def test_known_tree_heads(n: int) -> None:
    leaves = [merkle.leaf_hash(v) for v in VECTOR_LEAVES[:n]]
    assert merkle.root(leaves).hex() == VECTOR_ROOTS[n - 1]


def test_a_three_leaf_tree_by_hand() -> None:
    a, b, c = (merkle.leaf_hash(x) for x in (b"a", b"b", b"c"))
    ab = merkle.node_hash(a, b)
    assert merkle.root([a, b, c]) == merkle.node_hash(ab, c)
    assert merkle.inclusion_proof(2, [a, b, c]) == [ab]
    assert merkle.inclusion_proof(0, [a, b, c]) == [b, c]
    assert merkle.consistency_proof(2, [a, b, c]) == [c]
    assert merkle.consistency_proof(1, [a, b, c]) == [b, c]


def test_the_rfc_example_tree_of_seven_leaves() -> None:
    """RFC 9162 §2.1.5: the example tree d0..d6 and its named inner nodes."""
    d = leaves_of(7)
    a, b, c, dd, e, f = d[:6]
    g, h, i = merkle.node_hash(a, b), merkle.node_hash(c, dd), merkle.node_hash(e, f)
    j = d[6]
    k, ll = merkle.node_hash(g, h), merkle.node_hash(i, j)
    assert merkle.root(d) == merkle.node_hash(k, ll)
    assert merkle.inclusion_proof(1, d) == [a, h, ll]
    assert merkle.inclusion_proof(3, d) == [c, g, ll]
    assert merkle.inclusion_proof(4, d) == [f, j, k]
    assert merkle.inclusion_proof(6, d) == [i, k]
    assert merkle.consistency_proof(3, d) == [c, dd, g, ll]
    assert merkle.consistency_proof(4, d) == [ll]
    assert merkle.consistency_proof(6, d) == [i, j, k]


@given(st.integers(1, 70), st.data())
def test_every_inclusion_proof_verifies(n: int, data: st.DataObject) -> None:
    leaves = leaves_of(n)
    top = merkle.root(leaves)
    index = data.draw(st.integers(0, n - 1))
    proof = merkle.inclusion_proof(index, leaves)
    assert merkle.verify_inclusion(index, n, leaves[index], proof, top)


@given(st.integers(0, 70), st.data())
def test_every_consistency_proof_verifies(n: int, data: st.DataObject) -> None:
    leaves = leaves_of(n)
    m = data.draw(st.integers(0, n))
    proof = merkle.consistency_proof(m, leaves)
    assert merkle.verify_consistency(m, n, proof, merkle.root(leaves[:m]), merkle.root(leaves))


def test_every_proof_of_every_small_tree_verifies() -> None:
    for n in range(1, 33):
        leaves = leaves_of(n)
        top = merkle.root(leaves)
        for index in range(n):
            proof = merkle.inclusion_proof(index, leaves)
            assert merkle.verify_inclusion(index, n, leaves[index], proof, top)
        for m in range(n + 1):
            proof = merkle.consistency_proof(m, leaves)
            assert merkle.verify_consistency(m, n, proof, merkle.root(leaves[:m]), top)


def _altered(proof: list[bytes], how: int, where: int) -> list[bytes]:
    """``proof`` with one element flipped (0), dropped (1), added (2) or two swapped (3)."""
    where %= max(len(proof), 1)
    if how == 0 and proof:
        flipped = bytes([proof[where][0] ^ 1]) + proof[where][1:]
        return [*proof[:where], flipped, *proof[where + 1 :]]
    if how == 1 and proof:
        return [*proof[:where], *proof[where + 1 :]]
    if how == 3 and len(proof) > 1 and proof[where] != proof[where - 1]:
        swapped = list(proof)
        swapped[where], swapped[where - 1] = swapped[where - 1], swapped[where]
        return swapped
    return [*proof, merkle.leaf_hash(b"extra")]


@given(st.integers(1, 70), st.data())
def test_an_altered_inclusion_proof_fails(n: int, data: st.DataObject) -> None:
    leaves = leaves_of(n)
    top = merkle.root(leaves)
    index = data.draw(st.integers(0, n - 1))
    proof = merkle.inclusion_proof(index, leaves)
    bad = _altered(proof, data.draw(st.integers(0, 3)), data.draw(st.integers(0, 100)))
    assert not merkle.verify_inclusion(index, n, leaves[index], bad, top)
    assert not merkle.verify_inclusion(index, n, merkle.leaf_hash(b"forged"), proof, top)
    assert not merkle.verify_inclusion(index, n, leaves[index], proof, merkle.leaf_hash(b"r"))
    other = data.draw(st.integers(0, n))
    if other != index:  # another index (or one past the end) with the same proof
        assert not merkle.verify_inclusion(other, n, leaves[index], proof, top)


@given(st.integers(2, 70), st.data())
def test_an_altered_consistency_proof_fails(n: int, data: st.DataObject) -> None:
    leaves = leaves_of(n)
    m = data.draw(st.integers(1, n - 1))
    first, second = merkle.root(leaves[:m]), merkle.root(leaves)
    proof = merkle.consistency_proof(m, leaves)
    bad = _altered(proof, data.draw(st.integers(0, 3)), data.draw(st.integers(0, 100)))
    assert not merkle.verify_consistency(m, n, bad, first, second)
    forged = merkle.leaf_hash(b"forged")
    assert not merkle.verify_consistency(m, n, proof, forged, second)
    assert not merkle.verify_consistency(m, n, proof, first, forged)
    # A tree that changed one of the first m leaves is not an extension of the first.
    changed = list(leaves)
    changed[data.draw(st.integers(0, m - 1))] = forged
    honest = merkle.consistency_proof(m, changed)
    assert not merkle.verify_consistency(m, n, honest, first, merkle.root(changed))


def test_the_ends_of_consistency() -> None:
    leaves = leaves_of(5)
    top = merkle.root(leaves)
    assert merkle.verify_consistency(5, 5, [], top, top)
    assert not merkle.verify_consistency(5, 5, [], merkle.root(leaves[:4]), top)
    assert merkle.verify_consistency(0, 5, [], merkle.EMPTY_ROOT, top)
    assert not merkle.verify_consistency(0, 5, [top], merkle.EMPTY_ROOT, top)
    assert not merkle.verify_consistency(6, 5, [], top, top)
    assert not merkle.verify_consistency(3, 5, [], merkle.root(leaves[:3]), top)


def test_proofs_out_of_range_are_refused() -> None:
    with pytest.raises(ValueError, match="not in a tree"):
        merkle.inclusion_proof(3, leaves_of(3))
    with pytest.raises(ValueError, match="no prefix"):
        merkle.consistency_proof(4, leaves_of(3))
    assert not merkle.verify_inclusion(0, 0, merkle.EMPTY_ROOT, [], merkle.EMPTY_ROOT)
