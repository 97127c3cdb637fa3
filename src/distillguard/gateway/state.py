"""One gateway process: its parts, built once at start, and what it re-reads while it runs.

Keys, the directory of accounts and verdicts, and the policy file are refreshed every
``gateway.refresh_seconds`` without a restart; a policy change that loads cleanly replaces
the old one and is written to the controls log (old → new, the file's hash), one that does
not is reported and the policy in force stays. Every start is written there too: the
controls log is the record of which measures were in force when.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from distillguard.gateway.calllog import CallLog
from distillguard.gateway.controls import ControlsLog
from distillguard.gateway.directory import Directory, DirectorySource
from distillguard.gateway.geofence import Geofence
from distillguard.gateway.identity import parse_trusted
from distillguard.gateway.keys import KeyIndex, KeyRecord
from distillguard.gateway.metrics import Metrics
from distillguard.gateway.online import OnlineState, RequestSignals
from distillguard.gateway.options import Options
from distillguard.gateway.policy import Policy, PolicyError, load
from distillguard.gateway.quota import Budgets, Limits, limits_from_policy
from distillguard.gateway.upstream import Upstream, UpstreamConfig
from distillguard.watermark import keys as watermark_keys

LOG = logging.getLogger("distillguard.gateway")


def watermark_key(path: Path) -> watermark_keys.MasterKey:
    """The watermark master key at ``path``, created (mode 0600) on first use."""
    try:
        return watermark_keys.load(path)
    except watermark_keys.WatermarkKeyError:
        if path.exists():
            raise
    path.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(FileExistsError):  # another worker created it first
        watermark_keys.save(watermark_keys.MasterKey.generate(), path)
    return watermark_keys.load(path)


@dataclass
class Gateway:
    options: Options
    policy: Policy
    keys: KeyIndex
    directory_source: DirectorySource
    directory: Directory
    geofence: Geofence
    signals: RequestSignals
    online: OnlineState
    budgets: Budgets
    upstream: Upstream
    log: CallLog
    metrics: Metrics
    controls: ControlsLog
    watermark_key: watermark_keys.MasterKey | None
    trusted: tuple[Any, ...]
    max_body_bytes: int
    _refresher: asyncio.Task[None] | None = field(default=None, repr=False)
    _policy_stamp: tuple[float, int] | None = field(default=None, repr=False)
    _limits: dict[tuple[int | None, int | None], Limits] = field(default_factory=dict, repr=False)

    @classmethod
    def build(cls, options: Options) -> Gateway:
        settings = options.settings
        restricted = settings.text("detect.restricted_countries")
        policy = load(options.policy_file, restricted)
        source = DirectorySource(options.workspace, settings)
        budgets = Budgets(
            settings.text("gateway.redis_url") or "memory://",
            fail=_fail_mode(settings.text("gateway.limits_fail")),
        )
        upstream = Upstream(
            UpstreamConfig(
                base_url=options.upstream,
                kind=options.upstream_kind,
                credential=settings.text("gateway.upstream_key"),
                connect_timeout=settings.number("gateway.connect_timeout"),
                read_timeout=settings.number("gateway.read_timeout"),
                stream_idle_timeout=settings.number("gateway.stream_idle_timeout"),
                max_connections=settings.integer("gateway.max_connections"),
            )
        )
        gateway = cls(
            options=options,
            policy=policy,
            keys=KeyIndex(options.workspace),
            directory_source=source,
            directory=source.load(),
            geofence=Geofence(policy.restricted_countries),
            signals=RequestSignals(),
            online=OnlineState(
                settings.integer("gateway.online_accounts"),
                settings.number("gateway.online_window"),
            ),
            budgets=budgets,
            upstream=upstream,
            log=CallLog(
                options.log_dir,
                fsync_interval=settings.number("gateway.fsync_interval"),
                rotate_bytes=settings.integer("gateway.log_rotate_bytes"),
            ),
            metrics=Metrics(budgets.state),
            controls=ControlsLog(options.workspace),
            watermark_key=watermark_key(options.watermark_key_file()),
            trusted=parse_trusted(settings.text("gateway.trusted_proxies")),
            max_body_bytes=settings.integer("gateway.max_body_bytes"),
        )
        gateway._policy_stamp = gateway._stamp()
        return gateway

    def in_force(self) -> dict[str, Any]:
        """The controls this process enforces, as the controls log records them."""
        settings = self.options.settings
        return {
            **self.policy.controls(),
            "policy_file": self.policy.source,
            "policy_sha256": self.policy.sha256,
            "trusted_proxies": settings.text("gateway.trusted_proxies"),
            "limits_store": "redis" if settings.text("gateway.redis_url") else "memory",
            "limits_fail": settings.text("gateway.limits_fail"),
            "max_body_bytes": self.max_body_bytes,
            "watermark_key": self.watermark_key.fingerprint() if self.watermark_key else None,
        }

    def limits_for(self, key: KeyRecord) -> Limits:
        """The policy's limits with the key's own in place, built once per policy and pair."""
        own = (key.rpm, key.tpm)
        limits = self._limits.get(own)
        if limits is None:
            limits = self._limits[own] = limits_from_policy(
                self.policy.limits, rpm=own[0], tpm=own[1]
            )
        return limits

    async def write(self, record: Mapping[str, Any]) -> None:
        await self.log.write(record)
        self.metrics.logged.inc()

    async def start(self) -> None:
        self.controls.record(
            "start", "gateway", old=None, new=self.in_force(), file=self.options.policy_file
        )
        self._refresher = asyncio.get_running_loop().create_task(self._refresh_forever())

    async def close(self) -> None:
        if self._refresher is not None:
            self._refresher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._refresher
        await self.upstream.close()
        await self.budgets.close()
        await self.log.close()

    def _stamp(self) -> tuple[float, int] | None:
        path = self.options.policy_file
        if path is None:
            return None
        try:
            stat = path.stat()
        except OSError:
            return None
        return (stat.st_mtime, stat.st_size)

    async def _refresh_forever(self) -> None:
        interval = self.options.settings.number("gateway.refresh_seconds")
        while True:
            await asyncio.sleep(interval)
            try:
                await self.refresh()
            except Exception:  # a refresh must never take the gateway down
                LOG.exception("refreshing keys, verdicts or policy failed; keeping the old ones")

    async def refresh(self) -> None:
        self.keys.refresh()
        if self.directory_source.stale():
            self.directory = await asyncio.to_thread(self.directory_source.load)
        stamp = self._stamp()
        if stamp != self._policy_stamp:
            self._policy_stamp = stamp
            self.reload_policy()

    def reload_policy(self) -> None:
        restricted = self.options.settings.text("detect.restricted_countries")
        try:
            policy = load(self.options.policy_file, restricted)
        except PolicyError as exc:
            LOG.error("the policy file changed but cannot be used (%s); keeping the old one", exc)
            return
        if policy.sha256 == self.policy.sha256:
            return
        old = self.in_force()
        self.policy = policy
        self._limits = {}
        self.geofence = self.geofence.with_countries(policy.restricted_countries)
        self.controls.record(
            "change", "policy", old=old, new=self.in_force(), file=self.options.policy_file
        )
        LOG.info("policy %s reloaded (sha256 %s)", policy.source, policy.sha256[:12])


def _fail_mode(value: str) -> Any:
    if value not in ("open", "closed"):
        raise PolicyError(f"gateway.limits_fail must be open or closed, not {value!r}")
    return value
