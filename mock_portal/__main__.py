"""`python -m mock_portal`: serve PlanManager and Winformex on one port.

python -m mock_portal --host 127.0.0.1 --port 8765 [--seed FILE] [--faults PROFILE]
                      [--session-ttl SECONDS] [--db FILE] [--no-control-api]
                      [--login-max-failures N] [--login-window SECONDS]
                      [--login-lockout SECONDS] [--winformex-layout button|menu]
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from mock_portal.config import (
    DEFAULT_LOGIN_LOCKOUT_S,
    DEFAULT_LOGIN_MAX_FAILURES,
    DEFAULT_LOGIN_WINDOW_S,
    DEFAULT_PHOTOS,
    DEFAULT_SEED,
    DEFAULT_SESSION_TTL_S,
    DEFAULT_WINFORMEX_LAYOUT,
    WINFORMEX_LAYOUTS,
    PortalConfig,
)
from mock_portal.faults import PROFILES
from mock_portal.seed import SeedError
from mock_portal.server import serve


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m mock_portal",
        description="Mock PlanManager + Winformex portal (see docs/mock-portal.md).",
    )
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument(
        "--port", type=int, default=8765, help="port to listen on; 0 picks a free one (8765)"
    )
    p.add_argument(
        "--seed",
        type=Path,
        default=DEFAULT_SEED,
        help="seed JSON (default fixtures/portal_seed.json)",
    )
    p.add_argument(
        "--photos",
        type=Path,
        default=DEFAULT_PHOTOS,
        metavar="DIR",
        help="folder holding the seed's photo files (default fixtures/photos)",
    )
    p.add_argument(
        "--faults", choices=sorted(PROFILES), default="none", help="fault profile (default none)"
    )
    p.add_argument(
        "--session-ttl",
        type=float,
        default=DEFAULT_SESSION_TTL_S,
        metavar="SECONDS",
        help="idle time after which a session expires (default 1800)",
    )
    p.add_argument(
        "--db",
        type=Path,
        default=None,
        metavar="FILE",
        help="keep the state in this SQLite file (seeded when new or empty; kept across restarts)",
    )
    p.add_argument(
        "--no-control-api",
        dest="control_api",
        action="store_false",
        help="switch off the /_mock/ test-control API",
    )
    p.add_argument(
        "--login-max-failures",
        type=int,
        default=DEFAULT_LOGIN_MAX_FAILURES,
        metavar="N",
        help="failed logins of one user name (within --login-window) that lock it for "
        f"--login-lockout; 0 switches throttling off (default {DEFAULT_LOGIN_MAX_FAILURES})",
    )
    p.add_argument(
        "--login-window",
        type=float,
        default=DEFAULT_LOGIN_WINDOW_S,
        metavar="SECONDS",
        help=f"how long a failed login counts (default {DEFAULT_LOGIN_WINDOW_S:.0f})",
    )
    p.add_argument(
        "--login-lockout",
        type=float,
        default=DEFAULT_LOGIN_LOCKOUT_S,
        metavar="SECONDS",
        help=f"how long a locked user name is refused (default {DEFAULT_LOGIN_LOCKOUT_S:.0f})",
    )
    p.add_argument(
        "--winformex-layout",
        choices=WINFORMEX_LAYOUTS,
        default=DEFAULT_WINFORMEX_LAYOUT,
        help="how a Winformex dossier opens its 2e circuit form: the 'Gegevens 2e circuit' "
        "button at the bottom left, or the menu Bewerken → 2e circuit → expertise "
        f"(default {DEFAULT_WINFORMEX_LAYOUT})",
    )
    p.add_argument(
        "--log-level",
        default="warning",
        choices=["critical", "error", "warning", "info", "debug"],
        help="uvicorn's log level (default warning; info and below also log requests)",
    )
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.session_ttl <= 0:
        parser().error("--session-ttl must be more than 0 seconds")
    if args.login_max_failures < 0:
        parser().error("--login-max-failures must be 0 (off) or more")
    if args.login_window <= 0 or args.login_lockout <= 0:
        parser().error("--login-window and --login-lockout must be more than 0 seconds")
    config = PortalConfig(
        seed_path=args.seed,
        photos_dir=args.photos,
        faults=args.faults,
        session_ttl_s=args.session_ttl,
        db_path=args.db,
        control_api=args.control_api,
        login_max_failures=args.login_max_failures,
        login_window_s=args.login_window,
        login_lockout_s=args.login_lockout,
        winformex_layout=args.winformex_layout,
    )
    try:
        serve(args.host, args.port, config, log_level=args.log_level)
    except SeedError as exc:
        print(f"mock portal: bad seed: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"mock portal: cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
