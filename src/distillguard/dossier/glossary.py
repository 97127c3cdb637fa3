"""Plain words for the report's reader: the technical terms, and what each reason means.

The report is written for a lawyer. Each technical term is explained once, in the
glossary this module lists, and each reason the scan gives is explained from the catalogue
that defines it (the account features, the request signals and the link kinds carry a
``catches`` sentence written at their definition), so the words cannot drift from the code.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from distillguard.detect.features import FEATURES
from distillguard.detect.links import LINK_KINDS
from distillguard.detect.signals import CAPABILITY_SIGNALS, PARAM_SIGNALS, TEXT_SIGNALS

TERMS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "account": "a customer account of the API; each call is made with one of its keys.",
        "call": "one request to the model and its answer (an 'exchange').",
        "token": "the unit the model reads and writes text in, about three quarters of a word; "
        "usage is billed per token.",
        "output tokens": "the tokens of the model's answers, reasoning tokens included.",
        "reasoning tokens": "the part of the output the model spent thinking before answering: the "
        "material a distillation campaign most wants, because it teaches how to reason.",
        "distillation": "training one model on the outputs of another so that it learns to "
        "imitate it.",
        "cluster": "a group of accounts the scan found to be linked by things they share (a card, "
        "an address, a prompt template) and by behaving alike.",
        "link": "one thing two or more accounts share: the same card, address, prompt template, "
        "e-mail domain, or activity in the same minutes.",
        "specificity": "how strongly a shared thing points to one operator, from 0 to 1: 1 when "
        "only the suspect accounts use it, halving with each unrelated, clean account that does.",
        "signal": "a pattern the scan looks for in one call, such as a demand for the model's full "
        "chain of thought.",
        "baseline": "the typical value among comparable accounts (same tier, programme and kind "
        "of use), against which an account's value is judged.",
        "hosting network": "addresses of data centres and clouds: servers, not people at home.",
        "VPN / Tor": "services that relay traffic so that the caller's own address and country "
        "are hidden.",
        "autonomous system (ASN)": "a network operator on the internet, such as an internet "
        "provider or a cloud; each address belongs to one.",
        "card fingerprint": "an identifier of a payment card that the payment processor gives, the "
        "same for every account paying with that card, without the card number.",
        "ledger": "the product's append-only record of what it saw and did; each entry is chained "
        "to the ones before it by hashes, and its state is signed, so any change is detectable.",
        "hash (SHA-256)": "a fingerprint of a file or text: any change to it changes the hash.",
        "redacted": "in a redacted bundle, prompts and answers are replaced by their hash and "
        "addresses by their network, so the bundle can be shared without the texts.",
        "watermark": "a hidden, statistical pattern in the provider's answers; a model trained on "
        "those answers picks it up, and a test of the suspect model's outputs can detect it.",
        "p-value": "the chance of a result at least this strong if the suspect model had never "
        "seen the provider's outputs; a very small p-value means chance is an unlikely "
        "explanation.",
    }
)


def _catalogue() -> dict[str, str]:
    found: dict[str, str] = {}
    for text in (*TEXT_SIGNALS, *CAPABILITY_SIGNALS):
        found[text.name] = text.catches
    for param in PARAM_SIGNALS:
        found[param.name] = param.catches
    for feature in FEATURES:
        found[feature.name] = feature.catches
    for kind in LINK_KINDS:
        found[kind.name] = kind.catches
    found["isolation_forest"] = (
        "The account's behaviour as a whole is unusual among its peers (an anomaly model "
        "over all its features)."
    )
    found["member_of_flagged_cluster"] = "The account belongs to the flagged cluster."
    found["core"] = "How many members have their own evidence for the cluster."
    found["member_scores"] = "How strongly the members' own behaviour looks like harvesting."
    return found


def reason(name: str) -> str:
    """What a reason name means, in the catalogue's words ('' when it has none)."""
    return _catalogue().get(name, "")


def reasons(names: list[str]) -> dict[str, str]:
    """The meanings of several reason names at once."""
    catalogue = _catalogue()
    return {name: catalogue.get(name, "") for name in names}
