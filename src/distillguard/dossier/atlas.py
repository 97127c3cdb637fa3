"""The MITRE ATLAS entries a distillation campaign is described with, as data rows.

ATLAS (Adversarial Threat Landscape for Artificial-Intelligence Systems) names the techniques
the indicators' attack patterns refer to, and the case study of a distillation campaign that
the campaign object cites. Each row is referenced by its ATLAS id and page, so a recipient's
tooling can join it to the ATLAS data it already holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

SOURCE: Final = "mitre-atlas"
SITE: Final = "https://atlas.mitre.org"


@dataclass(frozen=True)
class Entry:
    """One ATLAS technique or case study."""

    external_id: str
    name: str
    description: str
    section: str  # the folder of its page on the ATLAS site: techniques | studies

    @property
    def url(self) -> str:
        return f"{SITE}/{self.section}/{self.external_id}"


EXTRACT_MODEL: Final = Entry(
    external_id="AML.T0024.002",
    name="Extract AI Model",
    description="Querying a model's inference API at scale to collect its outputs and train "
    "a functional copy of it (distillation).",
    section="techniques",
)
SERVICE_PROXIES: Final = Entry(
    external_id="AML.T0008.005",
    name="AI Service Proxies",
    description="Sending a campaign's calls through proxies, VPN or Tor exits and rented "
    "hosting so that they seem to come from many unrelated places.",
    section="techniques",
)
DISTILLATION_STUDY: Final = Entry(
    external_id="AML.CS0056",
    name="ATLAS case study AML.CS0056",
    description="A distillation campaign harvesting a provider's model outputs through "
    "many accounts.",
    section="studies",
)
PROXY_NETWORKS: Final = ("hosting", "vpn", "tor")
"""Values of ``calls.network_kind`` that make a campaign's calls use AI service proxies."""
