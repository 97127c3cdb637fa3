"""The substitution table: groups of true variants, written for this project.

Each :class:`VariantClass` is a set of spellings that mean the same thing wherever the
scanner finds them (a negation and its contraction, ``toward``/``towards``, ``for example``/
``for instance``, ``no one``/``nobody``). Words with another sense (``while`` the noun,
``use`` the noun, ``shows`` on television, ``due to`` meaning *owed to*) were left out, and
the few contexts where a variant would read wrongly are blocked by the word before or after:
a tag question (``isn't it?`` cannot become ``is not it?``), ``thus far``, ``not nearly``.
A blocked occurrence is neither changed nor tested.

``weights`` are the variants' natural shares among the class's occurrences, counted (with
add-one smoothing) on the even-indexed answers of Alpaca, Open Assistant and HH-RLHF
assistant turns (5,720 answers; the benchmarks measure on the odd-indexed ones): the
embedder picks each variant in those proportions, so the watermarked text's word
frequencies match those of ordinary answers (see ``docs/watermark.md``). A share is never
below ``MIN_WEIGHT``, so that every variant stays a possible choice; a pair of variants whose
rarer one is below it in real text (``someone``/``somebody``, ``using``/``utilizing``) is not
in the table, since writing the rare one more often would show.

Changing the table changes what a key embeds: ``VERSION`` names this table in every
verification report, and a report is only valid against the version that embedded.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

VERSION: Final = "2026.11-1"
MIN_WEIGHT: Final = 0.05

PRONOUNS: Final = frozenset(
    ["i", "you", "he", "she", "it", "we", "they", "there", "this", "that", "these", "those", "one"]
)


@dataclass(frozen=True)
class VariantClass:
    """Spellings (lower case; the first is the class's name) and their natural shares."""

    variants: tuple[str, ...]
    weights: tuple[float, ...]
    block_before: frozenset[str] = frozenset()
    block_after: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        if len(self.variants) < 2 or len(self.variants) != len(self.weights):
            raise ValueError(f"a variant class needs two or more weighted variants: {self}")
        if abs(sum(self.weights) - 1.0) > 1e-9 or min(self.weights) < MIN_WEIGHT - 1e-9:
            raise ValueError(f"weights must sum to 1 and be >= {MIN_WEIGHT}: {self}")

    @property
    def name(self) -> str:
        return self.variants[0]


def _negation(full: str, short: str, weights: tuple[float, float]) -> VariantClass:
    # "isn't it?" / "don't you": a tag question has no uncontracted form.
    return VariantClass((full, short), weights, block_after=PRONOUNS)


CLASSES: Final[tuple[VariantClass, ...]] = (
    _negation("do not", "don't", (0.07, 0.93)),
    _negation("does not", "doesn't", (0.35, 0.65)),
    _negation("did not", "didn't", (0.17, 0.83)),
    _negation("is not", "isn't", (0.67, 0.33)),
    _negation("are not", "aren't", (0.57, 0.43)),
    _negation("was not", "wasn't", (0.45, 0.55)),
    _negation("were not", "weren't", (0.5, 0.5)),
    _negation("cannot", "can't", (0.17, 0.83)),
    _negation("could not", "couldn't", (0.39, 0.61)),
    _negation("would not", "wouldn't", (0.23, 0.77)),
    _negation("should not", "shouldn't", (0.3, 0.7)),
    _negation("will not", "won't", (0.24, 0.76)),
    _negation("have not", "haven't", (0.22, 0.78)),
    _negation("has not", "hasn't", (0.42, 0.58)),
    _negation("had not", "hadn't", (0.29, 0.71)),
    VariantClass(("toward", "towards"), (0.11, 0.89)),
    VariantClass(("afterward", "afterwards"), (0.12, 0.88)),
    VariantClass(("among", "amongst"), (0.92, 0.08)),
    VariantClass(("amid", "amidst"), (0.2, 0.8)),
    VariantClass(("no one", "nobody"), (0.7, 0.3)),
    # "no each other" must not become "no one another", which reads as "no one" + "another".
    VariantClass(("each other", "one another"), (0.83, 0.17), block_before=frozenset({"no"})),
    VariantClass(("for example", "for instance"), (0.87, 0.13)),
    VariantClass(("kind of", "sort of"), (0.69, 0.31)),
    VariantClass(("often", "frequently"), (0.95, 0.05)),
    VariantClass(("usually", "typically"), (0.57, 0.43)),
    VariantClass(("quickly", "rapidly"), (0.88, 0.12)),
    VariantClass(("approximately", "roughly"), (0.88, 0.12)),
    VariantClass(("perhaps", "maybe"), (0.22, 0.78)),
    VariantClass(("completely", "entirely"), (0.79, 0.21)),
    VariantClass(("mainly", "primarily"), (0.44, 0.56)),
    VariantClass(("mostly", "largely"), (0.89, 0.11)),
    VariantClass(("especially", "particularly"), (0.63, 0.37)),
    VariantClass(("furthermore", "moreover"), (0.71, 0.29)),
    VariantClass(("therefore", "thus"), (0.57, 0.43), block_after=frozenset({"far"})),
    VariantClass(("likewise", "similarly"), (0.43, 0.57)),
    VariantClass(("rarely", "seldom"), (0.5, 0.5)),
    VariantClass(("precisely", "exactly"), (0.13, 0.87)),
    VariantClass(("essentially", "basically"), (0.67, 0.33)),
    VariantClass(("nowadays", "these days"), (0.4, 0.6)),
    VariantClass(("nearly", "almost"), (0.23, 0.77), block_before=frozenset({"not"})),
    VariantClass(("additionally", "in addition"), (0.85, 0.15), block_after=frozenset({"to"})),
    VariantClass(("a lot of", "lots of"), (0.83, 0.17)),
    VariantClass(("despite", "in spite of"), (0.94, 0.06)),
    VariantClass(("ensure", "make sure"), (0.55, 0.45)),
    VariantClass(("ensures", "makes sure"), (0.88, 0.12)),
    VariantClass(("ensuring", "making sure"), (0.47, 0.53)),
    VariantClass(("ensured", "made sure"), (0.5, 0.5)),
)
