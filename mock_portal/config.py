"""How one mock portal instance is set up: seed, photos, faults, sessions, logins, storage, clock.

One frozen object built by the CLI (or a test) and handed to `create_app`, so nothing in the
portal reads the environment or global state. The clock is injectable so tests can let a
session expire or an injection finish without waiting for real time to pass.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SEED = REPO_ROOT / "fixtures" / "portal_seed.json"
DEFAULT_PHOTOS = REPO_ROOT / "fixtures" / "photos"
PACKAGE_DIR = Path(__file__).resolve().parent
TEMPLATES_DIR = PACKAGE_DIR / "templates"
STATIC_DIR = PACKAGE_DIR / "static"

DEFAULT_SESSION_TTL_S = 1800.0
DEFAULT_LOGIN_MAX_FAILURES = 5
DEFAULT_LOGIN_WINDOW_S = 300.0
DEFAULT_LOGIN_LOCKOUT_S = 60.0

WINFORMEX_LAYOUTS = ("button", "menu")
"""How an Informex dossier opens its 2e circuit form, as shops' guidance describes two
Winformex versions: `button` (the FAQ's "Gegevens 2e circuit" at the bottom left of the
dossier) or `menu` (a menu bar: Bewerken → 2e circuit → expertise)."""
DEFAULT_WINFORMEX_LAYOUT = "button"


@dataclass(frozen=True)
class PortalConfig:
    """Settings of one mock portal (see `python -m mock_portal --help`)."""

    seed_path: Path = DEFAULT_SEED
    photos_dir: Path = DEFAULT_PHOTOS
    faults: str = "none"
    session_ttl_s: float = DEFAULT_SESSION_TTL_S
    db_path: Path | None = None
    control_api: bool = True
    # Login throttling (mock_portal/throttle.py): this many failed logins of one user name
    # within the window lock that name for the lockout; 0 failures switches throttling off.
    login_max_failures: int = DEFAULT_LOGIN_MAX_FAILURES
    login_window_s: float = DEFAULT_LOGIN_WINDOW_S
    login_lockout_s: float = DEFAULT_LOGIN_LOCKOUT_S
    winformex_layout: str = DEFAULT_WINFORMEX_LAYOUT  # one of WINFORMEX_LAYOUTS
    clock: Callable[[], float] = field(default=time.time, compare=False)
