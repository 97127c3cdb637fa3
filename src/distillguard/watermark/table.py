"""The substitution table: groups of true variants, written for this project.

Each :class:`VariantClass` is a set of spellings that mean the same thing wherever the
scanner finds them (a negation and its contraction, ``toward``/``towards``, ``for example``/
``for instance``, ``no one``/``nobody``). Words with another sense (``while`` the noun,
``use`` the noun, ``shows`` on television, ``due to`` meaning *owed to*, ``roughly`` meaning
*harshly*, ``quickly`` meaning *briefly*) were left out, and
the few contexts where a variant would read wrongly are blocked by the word before or after:
a tag question (``isn't it?`` cannot become ``is not it?``), ``thus far``, ``not nearly``.
A blocked occurrence is neither changed nor tested.

``weights`` are the variants' natural shares among the class's occurrences that the
watermark marks (not blocked, not in an ``unmarked`` context), counted (with add-one
smoothing) on the even-indexed answers of Alpaca, Open Assistant and HH-RLHF
assistant turns (5,720 answers; the benchmarks measure on the odd-indexed ones): the
embedder picks each variant in those proportions, so the watermarked text's word
frequencies match those of ordinary answers (see ``docs/watermark.md``). A share is never
below ``MIN_WEIGHT``, so that every variant stays a possible choice; a pair of variants whose
rarer one is below it in real text (``someone``/``somebody``, ``using``/``utilizing``) is not
in the table, since writing the rare one more often would show.

``unmarked`` lists the contexts (the word before, ``""`` at the start of a line) that hold
10 % or more of a class's occurrences in those answers (and at least 8 of them): ``I`` before
``do not`` (59 %), ``to`` before ``ensure`` (52 %), a line start before ``therefore`` (84 %, in
worked maths answers). The watermark leaves them alone: one key fixes one variant per
context, so marking a context that dominates its class would move the class's frequencies
by as much as that context's share, in plain sight, while adding a single test opportunity.

Changing the table changes what a key embeds: ``VERSION`` names this table in every
verification report, and a report is only valid against the version that embedded.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from itertools import accumulate
from typing import Final

VERSION: Final = "2026.11-3"
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
    unmarked: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        if len(self.variants) < 2 or len(self.variants) != len(self.weights):
            raise ValueError(f"a variant class needs two or more weighted variants: {self}")
        if abs(sum(self.weights) - 1.0) > 1e-9 or min(self.weights) < MIN_WEIGHT - 1e-9:
            raise ValueError(f"weights must sum to 1 and be >= {MIN_WEIGHT}: {self}")

    @property
    def name(self) -> str:
        return self.variants[0]

    @cached_property
    def bounds(self) -> tuple[float, ...]:
        """Cumulative shares: variant *i* is chosen for a keyed number in its interval."""
        return tuple(accumulate(self.weights))[:-1]


def _negation(
    full: str, short: str, weights: tuple[float, float], unmarked: frozenset[str] = frozenset()
) -> VariantClass:
    # "isn't it?" / "don't you": a tag question has no uncontracted form.
    return VariantClass((full, short), weights, block_after=PRONOUNS, unmarked=unmarked)


CLASSES: Final[tuple[VariantClass, ...]] = (
    _negation("do not", "don't", (0.12, 0.88), unmarked=frozenset({"i", "you"})),
    _negation("does not", "doesn't", (0.4, 0.6), unmarked=frozenset({"it", "that"})),
    _negation("did not", "didn't", (0.16, 0.84), unmarked=frozenset({"i", "you"})),
    _negation("is not", "isn't", (0.69, 0.31)),
    _negation("are not", "aren't", (0.47, 0.53), unmarked=frozenset({"that", "you", "they"})),
    _negation("was not", "wasn't", (0.45, 0.55)),
    _negation("were not", "weren't", (0.5, 0.5)),
    _negation("cannot", "can't", (0.37, 0.63), unmarked=frozenset({"i", "you"})),
    _negation("could not", "couldn't", (0.53, 0.47), unmarked=frozenset({"i"})),
    _negation("would not", "wouldn't", (0.27, 0.73), unmarked=frozenset({"i"})),
    _negation("should not", "shouldn't", (0.33, 0.67), unmarked=frozenset({"you"})),
    _negation("will not", "won't", (0.26, 0.74), unmarked=frozenset({"i"})),
    _negation("have not", "haven't", (0.22, 0.78)),
    _negation("has not", "hasn't", (0.42, 0.58)),
    _negation("had not", "hadn't", (0.29, 0.71)),
    VariantClass(("toward", "towards"), (0.11, 0.89)),
    VariantClass(("afterward", "afterwards"), (0.12, 0.88)),
    VariantClass(("among", "amongst"), (0.92, 0.08)),
    VariantClass(("amid", "amidst"), (0.2, 0.8)),
    VariantClass(("no one", "nobody"), (0.7, 0.3)),
    # "no each other" must not become "no one another", which reads as "no one" + "another".
    VariantClass(
        ("each other", "one another"),
        (0.83, 0.17),
        block_before=frozenset({"no"}),
        unmarked=frozenset({"with"}),
    ),
    VariantClass(("for example", "for instance"), (0.87, 0.13)),
    VariantClass(("kind of", "sort of"), (0.65, 0.35), unmarked=frozenset({"what", "the"})),
    VariantClass(("often", "frequently"), (0.94, 0.06), unmarked=frozenset({"is", "are"})),
    VariantClass(("usually", "typically"), (0.61, 0.39), unmarked=frozenset({"is", "are"})),
    VariantClass(("perhaps", "maybe"), (0.24, 0.76), unmarked=frozenset({""})),
    VariantClass(("completely", "entirely"), (0.82, 0.18)),
    VariantClass(("mainly", "primarily"), (0.44, 0.56)),
    VariantClass(("mostly", "largely"), (0.89, 0.11)),
    VariantClass(("especially", "particularly"), (0.67, 0.33), unmarked=frozenset({"is"})),
    VariantClass(("furthermore", "moreover"), (0.71, 0.29)),
    VariantClass(
        ("therefore", "thus"),
        (0.57, 0.43),
        block_after=frozenset({"far"}),
        unmarked=frozenset({""}),
    ),
    VariantClass(("likewise", "similarly"), (0.6, 0.4), unmarked=frozenset({""})),
    VariantClass(("rarely", "seldom"), (0.5, 0.5)),
    VariantClass(("precisely", "exactly"), (0.13, 0.87)),
    VariantClass(("essentially", "basically"), (0.67, 0.33)),
    VariantClass(("nowadays", "these days"), (0.4, 0.6)),
    # "not nearly" / "cannot nearly" (a negated "nearly" means "far from"; "almost" does not).
    VariantClass(("nearly", "almost"), (0.21, 0.79), block_before=frozenset({"not", "cannot"})),
    VariantClass(("additionally", "in addition"), (0.87, 0.13), block_after=frozenset({"to"})),
    VariantClass(
        ("a lot of", "lots of"),
        (0.83, 0.17),
        block_before=frozenset({"quite", "such"}),  # "quite lots of" is not English
        unmarked=frozenset({"have", "are"}),
    ),
    VariantClass(("despite", "in spite of"), (0.94, 0.06)),
    VariantClass(("ensure", "make sure"), (0.44, 0.56), unmarked=frozenset({"to"})),
    VariantClass(("ensures", "makes sure"), (0.88, 0.12)),
    VariantClass(("ensuring", "making sure"), (0.47, 0.53)),
    VariantClass(  # a passive "is ensured that" has no "is made sure that"
        ("ensured", "made sure"),
        (0.5, 0.5),
        block_before=frozenset({"is", "was", "are", "were", "be", "been", "being"}),
    ),
)
