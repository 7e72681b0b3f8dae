"""Several shops on one installation: a profile per shop, and at most N of its dossiers at once.

A dealer group or a claims service links dossiers for many body shops, each with its own
PlanManager and Winformex and its own credentials. A shop is a *profile*: a file
`BOT_PROFILES_DIR/NAME.env` holding that shop's `PLANMANAGER_URL`, `PLANMANAGER_USERNAME`,
`PLANMANAGER_PASSWORD`, `WINFORMEX_URL`, `WINFORMEX_USERNAME` and `WINFORMEX_PASSWORD` (any other
setting in it applies to that shop alone); everything it does not set is inherited from the main
environment. A dossier names its shop (a batch row's `profile` column, or `--profile NAME`); the
profile "" is the installation's own portals, from the main environment. Credentials are read
here, from the worker's own disk: a task message only ever carries the profile's name.

Shared by every shop, whatever a profile file says: the run folders (BOT_RUNS_DIR), the ledger
and lease stores (BOT_DATABASE_URL, BOT_LEASE_STORE), the broker. A shop's saved sessions
(`informex-bot login`) live in BOT_STATE_DIR/profiles/NAME unless its file sets BOT_STATE_DIR.

`BOT_MAX_PER_SHOP=N` keeps a shop's portals from being flooded by many workers: a dossier is
worked on only while its task holds one of the shop's N *slot leases* (`shop_slot`), taken in the
lease store every worker shares (lock files on one machine, PostgreSQL advisory locks across
machines), so the bound holds across all workers and is freed the moment a holder dies.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

from dotenv import dotenv_values

from bot.domain.models import validate_profile_name
from bot.engine.leases import Holder, Lease, LeaseStore
from bot.errors import ConfigError, ValidationError
from bot.settings import Settings, load_settings, read_environment

PROFILE_SUFFIX = ".env"


def profile_file(profiles_dir: Path | None, name: str) -> Path:
    """BOT_PROFILES_DIR/NAME.env, or ConfigError when profiles are not set up or it is missing."""
    try:
        name = validate_profile_name(name)
    except ValidationError as exc:
        raise ConfigError(str(exc)) from None
    if profiles_dir is None:
        raise ConfigError(f"profile {name!r}: BOT_PROFILES_DIR is not set (one NAME.env per shop)")
    path = profiles_dir / f"{name}{PROFILE_SUFFIX}"
    if not path.is_file():
        raise ConfigError(f"profile {name!r}: no file {path}")
    return path


def profile_names(profiles_dir: Path | None) -> list[str]:
    """The profiles BOT_PROFILES_DIR holds (its NAME.env files), sorted."""
    if profiles_dir is None or not profiles_dir.is_dir():
        return []
    return sorted(p.stem for p in profiles_dir.glob(f"*{PROFILE_SUFFIX}") if p.is_file())


def profile_settings(
    base: Settings, name: str, environment: Mapping[str, str] | None = None
) -> Settings:
    """The settings a dossier of shop `name` runs with ("" : `base` itself).

    The profile file's values over the main environment (`environment`, default: the process's
    over `.env`), with the stores and the run folders of `base` whatever the file says. Raises
    ConfigError naming the file and every problem in it.
    """
    if not name:
        return base
    path = profile_file(base.profiles_dir, name)
    values = {k: v for k, v in dotenv_values(path).items() if v is not None}
    merged = {**(read_environment() if environment is None else environment), **values}
    if "BOT_STATE_DIR" not in values:
        merged["BOT_STATE_DIR"] = str(base.state_dir / "profiles" / name)
    try:
        shop = load_settings(merged)
    except ConfigError as exc:
        raise ConfigError(f"profile {name!r} ({path}): {exc}") from None
    return replace(
        shop,
        runs_dir=base.runs_dir,
        lease_store=base.lease_folder,  # every shop's leases in the one shared store
        database_url=base.database_url,
        broker_url=base.broker_url,
        profiles_dir=base.profiles_dir,
        max_per_shop=base.max_per_shop,
        headless=base.headless,
        slowmo_ms=base.slowmo_ms,
    )


class Profiles:
    """Every shop's settings, each read once (a worker serves all of them); thread-safe."""

    def __init__(self, base: Settings, environment: Mapping[str, str] | None = None) -> None:
        self.base = base
        self._environment = dict(read_environment() if environment is None else environment)
        self._settings: dict[str, Settings] = {"": base}
        self._lock = threading.Lock()

    def settings(self, name: str) -> Settings:
        with self._lock:
            known = self._settings.get(name)
            if known is None:
                known = profile_settings(self.base, name, self._environment)
                self._settings[name] = known
            return known

    @property
    def secrets(self) -> tuple[str, ...]:
        """The passwords of every profile read so far (for the log's redaction)."""
        with self._lock:
            return tuple(s for settings in self._settings.values() for s in settings.secrets)


# -- BOT_MAX_PER_SHOP ---------------------------------------------------------------------------
SLOT_POLL_S = (0.2, 2.0)  # the first and the longest pause between two looks for a free slot


def slot_key(profile: str, index: int) -> str:
    """The lease key of one of a shop's slots (`#` ends it, as a dossier key's number does)."""
    return f"shop-slot:{profile or '-'}#{index}"


def try_shop_slot(store: LeaseStore, profile: str, limit: int, what: str) -> Lease | None:
    """One free slot of the shop's `limit`, or None when all are held now."""
    me = Holder.me(what)
    for index in random.sample(range(limit), limit):  # spread the takers over the slots
        lease = store.try_acquire(slot_key(profile, index), me)
        if lease is not None:
            return lease
    return None


def shop_slot(
    store: LeaseStore,
    profile: str,
    limit: int,
    *,
    wait_s: float,
    what: str = "",
    stop: threading.Event | None = None,
) -> Lease | None:
    """A slot of the shop, waiting up to `wait_s` with a growing pause between looks; None when
    none came free in time (the caller hands the dossier back for later: never an error)."""
    stop = stop or threading.Event()
    pause, waited = SLOT_POLL_S[0], 0.0
    while True:
        lease = try_shop_slot(store, profile, limit, what)
        if lease is not None or waited >= wait_s:
            return lease
        step = min(pause, wait_s - waited)
        if stop.wait(step):
            return None
        waited += step
        pause = min(pause * 2, SLOT_POLL_S[1])
