"""One declarative table of settings.

Every tunable value of distillguard is a row of ``SETTINGS``: its dotted name, its default
(whose type is the setting's type) and a line of help. Values come from, in rising order of
precedence: the defaults, a TOML file (``[section]`` tables matching the dotted names), and
environment variables ``DISTILLGUARD_<NAME>`` with dots as underscores
(``DISTILLGUARD_INGEST_WORKERS=2``). An unknown key in the file, or a lookup of a name that is
not in the table, fails loudly.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

Value = str | int | float | bool

ENV_PREFIX = "DISTILLGUARD_"
_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off"})


@dataclass(frozen=True)
class Setting:
    name: str
    default: Value
    help: str

    @property
    def env_var(self) -> str:
        return ENV_PREFIX + self.name.upper().replace(".", "_")


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "workspace",
        "./distillguard-data",
        "Workspace folder used when --workspace is not given.",
    ),
    Setting(
        "ingest.workers",
        0,
        "Worker processes that parse records; 0 means one per CPU.",
    ),
    Setting(
        "ingest.batch_records",
        20_000,
        "Records handed to a worker at a time (bounds memory per worker).",
    ),
    Setting(
        "ingest.memory_limit",
        "2GB",
        "DuckDB memory limit while committing an ingest; larger work spills to disk.",
    ),
    Setting(
        "ingest.max_record_bytes",
        64 << 20,
        "Largest record (JSON line, array element, CSV line) read, in bytes; a longer one is "
        "quarantined as too_large with its size, SHA-256 and first KiB, never held whole.",
    ),
    Setting(
        "ingest.max_decompressed_bytes",
        64 << 30,
        "Most bytes one compressed input file may decompress to; past it the run stops "
        "(exit 2) and nothing of it is committed.",
    ),
    Setting(
        "ingest.max_compression_ratio",
        200.0,
        "Highest decompressed : compressed ratio of an input file (checked after its first "
        "8 MiB); past it the run stops as for a decompression bomb (exit 2).",
    ),
    Setting(
        "simulate.workers",
        0,
        "Worker processes that write simulated traffic; 0 means one per CPU.",
    ),
    Setting(
        "ingest.enrich",
        True,
        "Enrich client IPs offline with country, ASN name and network kind.",
    ),
    Setting(
        "detect.memory_limit",
        "6GB",
        "DuckDB memory limit during a scan; larger intermediate tables spill to disk.",
    ),
    Setting(
        "detect.threads",
        0,
        "Threads DuckDB uses during a scan; 0 means one per CPU.",
    ),
    Setting(
        "detect.seed",
        0,
        "Seed of the scan's randomized parts (anomaly model, MinHash, Leiden).",
    ),
    Setting(
        "detect.min_peers",
        30,
        "Fewest reference accounts a peer group needs to be a baseline (else a coarser one).",
    ),
    Setting(
        "detect.z_start",
        3.0,
        "Robust z-score against the peer baseline where a feature starts to count as evidence.",
    ),
    Setting(
        "detect.z_full",
        8.0,
        "Robust z-score at which a feature counts as full evidence.",
    ),
    Setting(
        "detect.content_min_share",
        0.02,
        "Share of an account's calls carrying a content signal where it starts to count.",
    ),
    Setting(
        "detect.content_full_share",
        0.25,
        "Share of an account's calls carrying a content signal that counts as full evidence.",
    ),
    Setting(
        "detect.content_min_calls",
        3,
        "Fewest calls carrying a content signal before the signal counts for an account.",
    ),
    Setting(
        "detect.restricted_countries",
        "BY,CN,CU,IR,KP,RU,SY",
        "Comma-separated ISO countries where the service is not offered (restricted_share).",
    ),
    Setting(
        "detect.skeleton_min_chars",
        64,
        "Shortest prompt (system + user characters) whose skeleton may link accounts.",
    ),
    Setting(
        "detect.link_max_share",
        0.02,
        "Public entities (e-mail domains, user agents) shared by more than this share of "
        "accounts link nothing.",
    ),
    Setting(
        "detect.burst_min_accounts",
        5,
        "Fewest accounts created in one 10-minute window to count as a creation burst.",
    ),
    Setting(
        "detect.candidate_score",
        0.3,
        "Account or cluster score from which the costly link stages examine an account.",
    ),
    Setting(
        "detect.sample_prompts",
        48,
        "Prompts per candidate account sampled for near-duplicate detection.",
    ),
    Setting(
        "detect.leiden_resolution",
        0.3,
        "Resolution of the Leiden cut of the link graph: lower merges linked accounts into "
        "fewer, larger clusters; higher splits them.",
    ),
    Setting(
        "detect.account_threshold",
        0.8,
        "Account score from which an account is flagged on its own (verdict 'suspicious').",
    ),
    Setting(
        "detect.cluster_threshold",
        0.7,
        "Cluster score from which a cluster is flagged (its members' verdict 'campaign').",
    ),
    Setting(
        "detect.cluster_content_share",
        0.25,
        "Share of a cluster's members carrying content signals that is decisive evidence.",
    ),
    Setting(
        "detect.cluster_operator",
        0.5,
        "Operator-side cluster evidence (unverified accounts behind shared cards or "
        "addresses) that is decisive evidence.",
    ),
    Setting(
        "detect.member_floor",
        0.3,
        "Lowest own score for a member of a flagged cluster to be flagged with it.",
    ),
    Setting(
        "detect.member_tie",
        0.3,
        "Lowest tie to its cluster (specificity-weighted shared entities) for a member whose "
        "own score reaches detect.member_floor to be flagged with it.",
    ),
    Setting(
        "detect.sync_start",
        1.5,
        "Lift of coincident minutes (a cluster's accounts active in the same minute, over "
        "what independent accounts active in the same hours would give) from which "
        "synchrony counts as evidence of one operator.",
    ),
    Setting(
        "detect.sync_full",
        2.5,
        "Lift of coincident minutes at which synchrony counts fully.",
    ),
    Setting(
        "detect.sync_z",
        3.0,
        "Excess of coincident minutes over chance, in standard deviations, that synchrony "
        "needs to count at all.",
    ),
    Setting(
        "detect.sync_panel",
        40,
        "Members a cluster's account is compared with for synchrony: a larger cluster is cut "
        "into panels of about this size (0: the whole cluster), since in a large cluster "
        "the others cover every minute and every lift tends to 1.",
    ),
    Setting(
        "detect.specific",
        0.6,
        "Specificity from which a shared card or address is a specific operator tie (it "
        "halves with each clean, unrelated group of accounts that also uses the entity, so "
        "one such group makes it unspecific).",
    ),
    Setting(
        "detect.min_link_weight",
        0.1,
        "Link weight x specificity below which a shared entity is no edge of the cluster graph.",
    ),
    Setting(
        "detect.fresh_days",
        3.0,
        "Days between sign-up and first call under which an account is fresh (created just "
        "before use, as pools create and burn accounts): only a fresh account can be carried "
        "into a cluster's verdict by a shared address.",
    ),
    Setting(
        "detect.established_days",
        30.0,
        "Days between sign-up and first call from which a verified account without content "
        "signals belongs to the clean reference population.",
    ),
    Setting(
        "detect.reasons",
        8,
        "Reasons kept per account and per cluster.",
    ),
    Setting(
        "detect.trusted_orgs",
        "",
        "Comma-separated org ids whose accounts count as benign labels (source 'trusted'); "
        "an analyst's label on the account wins.",
    ),
    Setting(
        "detect.trusted_accounts",
        "",
        "Comma-separated account ids that count as benign labels (source 'trusted'); an "
        "analyst's label on the account wins.",
    ),
    Setting(
        "otel.account_attribute",
        "user.id",
        "Span or resource attribute that holds the account id in OpenTelemetry GenAI spans.",
    ),
    Setting(
        "otel.key_attribute",
        "",
        "Attribute that holds the API key id in OpenTelemetry spans ('' when not recorded).",
    ),
    Setting(
        "otel.org_attribute",
        "",
        "Attribute that holds the organisation id in OpenTelemetry spans ('' when not recorded).",
    ),
    Setting(
        "otel.end_user_attribute",
        "",
        "Attribute that holds the end-user id in OpenTelemetry spans ('' when not recorded).",
    ),
    Setting(
        "otel.client_ip_attribute",
        "client.address",
        "Attribute that holds the caller's IP address in OpenTelemetry spans.",
    ),
    Setting(
        "otel.user_agent_attribute",
        "user_agent.original",
        "Attribute that holds the caller's user agent in OpenTelemetry spans.",
    ),
    Setting("gateway.host", "127.0.0.1", "Address the gateway listens on."),
    Setting("gateway.port", 8400, "Port the gateway listens on."),
    Setting("gateway.workers", 1, "Gateway worker processes (they share limits through Redis)."),
    Setting("gateway.upstream", "", "Base URL of the model API the gateway forwards to."),
    Setting(
        "gateway.upstream_kind",
        "openai",
        "openai | anthropic: which provider the upstream is (its auth header and routes).",
    ),
    Setting(
        "gateway.upstream_key",
        "",
        "Credential the gateway presents upstream ('' : none).",
    ),
    Setting("gateway.connect_timeout", 5.0, "Seconds to connect to the upstream."),
    Setting("gateway.read_timeout", 600.0, "Seconds an unstreamed upstream answer may take."),
    Setting(
        "gateway.stream_idle_timeout",
        60.0,
        "Seconds a stream may stay silent before the gateway ends it with an error.",
    ),
    Setting("gateway.max_connections", 512, "Pooled connections to the upstream, per process."),
    Setting(
        "gateway.max_body_bytes",
        16 * 1024 * 1024,
        "Largest request body accepted; larger ones get 413 in the provider's error shape.",
    ),
    Setting(
        "gateway.trusted_proxies",
        "",
        "Comma-separated CIDRs of proxies whose X-Forwarded-For is believed ('' : none).",
    ),
    Setting(
        "gateway.redis_url",
        "",
        "Redis for limits shared by several gateway processes ('' : in-process memory).",
    ),
    Setting(
        "gateway.limits_fail",
        "open",
        "open | closed: when Redis is down, fall back to local limits (open) or refuse (closed).",
    ),
    Setting(
        "gateway.policy",
        "",
        "Policy file (TOML, docs/gateway.md) ('' : the shipped default policy).",
    ),
    Setting(
        "gateway.log_dir",
        "",
        "Folder of the gateway's raw API log ('' : <workspace>/gateway/log).",
    ),
    Setting(
        "gateway.fsync_interval",
        1.0,
        "Seconds between fsyncs of the call log (0: every record; negative: never).",
    ),
    Setting(
        "gateway.log_rotate_bytes",
        256 * 1024 * 1024,
        "Size at which the call log starts a new file.",
    ),
    Setting(
        "gateway.refresh_seconds",
        10.0,
        "How often keys, verdicts and the policy file are re-read without a restart.",
    ),
    Setting(
        "gateway.online_accounts",
        100_000,
        "Most accounts whose recent calls the online signals remember (least recent dropped).",
    ),
    Setting(
        "gateway.online_window",
        3600.0,
        "Seconds of recent calls the online signals look at per account.",
    ),
    Setting(
        "gateway.watermark_key",
        "",
        "Watermark master key file for the watermark action ('' : the action is refused at start).",
    ),
    Setting(
        "watermark.table",
        "",
        "Substitution table fitted by 'watermark shares' (empty: the built-in table).",
    ),
    Setting(
        "watermark.alpha",
        1e-6,
        "p-value at or below which 'watermark verify' and 'probe' report the watermark found.",
    ),
    Setting(
        "evidence.key",
        "",
        "Ed25519 evidence key file that signs ledger heads ('' : <workspace>/evidence/key.json).",
    ),
    Setting(
        "evidence.tsa_url",
        "",
        "RFC 3161 time-stamping authority that stamps each signed head ('' : no time-stamps).",
    ),
    Setting(
        "evidence.tsa_ca",
        "",
        "CA certificates (PEM) that 'ledger verify' checks time-stamp tokens against.",
    ),
    Setting(
        "evidence.tsa_timeout",
        10.0,
        "Seconds to wait for the time-stamping authority.",
    ),
    Setting(
        "case.organisation",
        "the provider",
        "Name of the provider a case's dossier is written for (its report and STIX identity).",
    ),
    Setting(
        "case.terms",
        "",
        "Terms policy (TOML) mapping terms clauses to signals and behaviours "
        "('' : the example shipped in distillguard/dossier/terms.toml).",
    ),
    Setting(
        "case.price_input_per_mtok",
        3.0,
        "Price of a million input tokens, for a dossier's estimated cost to the provider.",
    ),
    Setting(
        "case.price_output_per_mtok",
        15.0,
        "Price of a million output tokens (reasoning tokens excluded).",
    ),
    Setting(
        "case.price_reasoning_per_mtok",
        15.0,
        "Price of a million reasoning tokens.",
    ),
    Setting(
        "case.currency",
        "USD",
        "Currency of the case prices.",
    ),
)

_BY_NAME: Mapping[str, Setting] = MappingProxyType({s.name: s for s in SETTINGS})


class SettingsError(ValueError):
    """A settings file or variable names an unknown setting or holds a value of the wrong type."""


def _coerce(setting: Setting, raw: object, origin: str) -> Value:
    kind = type(setting.default)
    if kind is bool:
        if isinstance(raw, bool):
            return raw
        if isinstance(raw, str) and raw.lower() in _TRUE | _FALSE:
            return raw.lower() in _TRUE
    elif kind is int:
        if isinstance(raw, int) and not isinstance(raw, bool):
            return raw
        if isinstance(raw, str):
            try:
                return int(raw)
            except ValueError:
                pass
    elif kind is float:
        if isinstance(raw, int | float) and not isinstance(raw, bool):
            return float(raw)
        if isinstance(raw, str):
            try:
                return float(raw)
            except ValueError:
                pass
    elif isinstance(raw, str):
        return raw
    raise SettingsError(f"{origin}: setting {setting.name!r} needs a {kind.__name__}, got {raw!r}")


def _flatten(table: Mapping[str, object], prefix: str = "") -> dict[str, object]:
    flat: dict[str, object] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(_flatten(value, name + "."))
        else:
            flat[name] = value
    return flat


@dataclass(frozen=True)
class Settings:
    """Resolved values of every setting in ``SETTINGS``."""

    values: Mapping[str, Value]

    @classmethod
    def load(
        cls,
        config: Path | None = None,
        environ: Mapping[str, str] | None = None,
        overrides: Mapping[str, Value] | None = None,
    ) -> Settings:
        env = os.environ if environ is None else environ
        values: dict[str, Value] = {s.name: s.default for s in SETTINGS}
        if config is None and env.get(ENV_PREFIX + "CONFIG"):
            config = Path(env[ENV_PREFIX + "CONFIG"])
        if config is not None:
            try:
                table = tomllib.loads(config.read_text(encoding="utf-8"))
            except FileNotFoundError as exc:
                raise SettingsError(f"settings file {config} does not exist") from exc
            except UnicodeDecodeError as exc:
                raise SettingsError(f"settings file {config} is not UTF-8 text") from exc
            except OSError as exc:
                raise SettingsError(f"cannot read settings file {config}: {exc.strerror}") from exc
            except tomllib.TOMLDecodeError as exc:
                raise SettingsError(f"settings file {config} is not valid TOML: {exc}") from exc
            for name, raw in _flatten(table).items():
                if name not in _BY_NAME:
                    raise SettingsError(f"{config}: unknown setting {name!r}")
                values[name] = _coerce(_BY_NAME[name], raw, str(config))
        for setting in SETTINGS:
            if setting.env_var in env:
                values[setting.name] = _coerce(setting, env[setting.env_var], setting.env_var)
        for name, raw in (overrides or {}).items():
            if name not in _BY_NAME:
                raise SettingsError(f"unknown setting {name!r}")
            values[name] = _coerce(_BY_NAME[name], raw, "override")
        return cls(MappingProxyType(values))

    def __getitem__(self, name: str) -> Value:
        if name not in self.values:
            raise KeyError(f"no setting named {name!r}; see distillguard.settings.SETTINGS")
        return self.values[name]

    def text(self, name: str) -> str:
        value = self[name]
        assert isinstance(value, str), name
        return value

    def integer(self, name: str) -> int:
        value = self[name]
        assert isinstance(value, int), name
        assert not isinstance(value, bool), name
        return value

    def number(self, name: str) -> float:
        value = self[name]
        assert isinstance(value, float), name
        return value

    def flag(self, name: str) -> bool:
        value = self[name]
        assert isinstance(value, bool), name
        return value
