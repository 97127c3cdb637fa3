"""Test texts for the watermark: a one-sided test with a calibrated null, and attribution.

Every unblocked occurrence of a table variant is an opportunity. Occurrences are
de-duplicated on (class, context) across all the texts tested, keeping the first: the key's
choice is a function of (class, context), so a repeated pair is not new evidence, and
counting it again would make the p-value invalid (a suspect that repeats one phrase a
thousand times would otherwise look a thousand times as watermarked).

**Null hypothesis:** the texts were written without the key. Then the key's choice for a
pair is independent of the variant the text shows, and is each variant with its natural
share; so the pair matches with probability equal to the share of the variant the text
shows, whatever the writer's own habits. Matches are independent across distinct pairs,
their number is Poisson-binomial, and the p-value is its upper tail
(:mod:`distillguard.watermark.pvalue`).

The **global** test uses the pairs the role key gives to the global key (shared by every
account): it answers "did this model learn from our outputs". **Attribution** tests each
candidate account's sub-key on the other pairs; its p-values are Bonferroni-adjusted for the
number of accounts tested.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from distillguard.watermark.choice import Chooser
from distillguard.watermark.keys import MasterKey
from distillguard.watermark.pvalue import upper_tail
from distillguard.watermark.scanner import SCANNER, Scanner, ScanState
from distillguard.watermark.spans import prose


@dataclass(frozen=True)
class Outcome:
    """Matches among distinct opportunities, against the null's expectation."""

    matches: int
    opportunities: int
    expected: float
    p_value: float
    log10_p_value: float


@dataclass(frozen=True)
class Attribution:
    account: str
    result: Outcome
    p_adjusted: float


@dataclass(frozen=True)
class Report:
    table_version: str
    key_fingerprint: str
    texts: int
    occurrences: int
    distinct: int
    result: Outcome
    accounts: list[Attribution] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out.update(
            p_value=self.result.p_value,
            log10_p_value=self.result.log10_p_value,
            matches=self.result.matches,
            opportunities=self.result.opportunities,
        )
        return out


class Observations:
    """The first variant shown in each distinct (class, context), over many texts."""

    def __init__(self, scanner: Scanner | None = None) -> None:
        self.scanner = scanner or SCANNER
        self.seen: dict[tuple[int, str], int] = {}
        self.texts = 0
        self.occurrences = 0

    def add(self, text: str) -> None:
        self.texts += 1
        found = self.scanner.occurrences(text, prose(text), 0, len(text), ScanState())
        for occurrence in found:
            if occurrence.blocked:
                continue
            self.occurrences += 1
            self.seen.setdefault((occurrence.cls, occurrence.context), occurrence.variant)


def _outcome(pairs: list[tuple[int, int, int]], weights: list[tuple[float, ...]]) -> Outcome:
    """``pairs`` of (class, shown variant, key's variant)."""
    probabilities = [weights[cls][shown] for cls, shown, _ in pairs]
    matches = sum(shown == chosen for _, shown, chosen in pairs)
    p_value, log10 = upper_tail(probabilities, matches)
    return Outcome(matches, len(pairs), sum(probabilities), p_value, log10)


def assess(observations: Observations, key: MasterKey, accounts: Iterable[str] = ()) -> Report:
    """The global test, and the attribution of each of ``accounts``."""
    classes = observations.scanner.classes
    weights = [cls.weights for cls in classes]
    chooser = Chooser(key, "", classes)
    glob: list[tuple[int, int, int]] = []
    own: list[tuple[int, str, int]] = []
    for (cls, context), shown in observations.seen.items():
        if chooser.is_global(cls, context):
            glob.append((cls, shown, chooser.global_pick(cls, context)))
        else:
            own.append((cls, context, shown))
    candidates = list(dict.fromkeys(accounts))
    attributions = []
    for account in candidates:
        picker = Chooser(key, account, classes)
        result = _outcome([(c, s, picker.account_pick(c, x)) for c, x, s in own], weights)
        adjusted = min(1.0, result.p_value * len(candidates))
        attributions.append(Attribution(account, result, adjusted))
    return Report(
        table_version=observations.scanner.version,
        key_fingerprint=key.fingerprint(),
        texts=observations.texts,
        occurrences=observations.occurrences,
        distinct=len(observations.seen),
        result=_outcome(glob, weights),
        accounts=sorted(attributions, key=lambda a: a.result.log10_p_value),
    )


def verify(texts: Iterable[str], key: MasterKey, accounts: Iterable[str] = ()) -> Report:
    """Test ``texts`` for ``key``'s watermark (see the module's docstring)."""
    observations = Observations()
    for text in texts:
        observations.add(text)
    return assess(observations, key, accounts)
