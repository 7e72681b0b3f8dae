"""Settings, read once at the entry point from the environment and `.env`.

Real environment variables win over `.env` (python-dotenv's `override=False`). Every missing or
malformed variable is reported in one ConfigError, so a person fixes their `.env` in one go.
URL defaults point at the mock portal (`informex-bot portal`); credentials have no default.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from dotenv import dotenv_values

from bot.domain import validation
from bot.errors import ConfigError

TraceMode = Literal["on", "retain-on-failure", "off"]
ScreenshotMode = Literal["all", "failures", "off"]
ScreenshotFormat = Literal["jpeg", "png"]

ENV_EXAMPLE = Path(__file__).resolve().parents[1] / ".env.example"
"""Every setting, documented: the template `informex-bot init` copies to `.env`."""
DEFAULT_PORTAL = "http://127.0.0.1:8765"
DEFAULT_ASSIGNMENT_PATTERN = validation.DEFAULT_ASSIGNMENT_PATTERN.pattern
PORTAL_LANGUAGES = ("auto", "nl", "fr")
"""BOT_PORTAL_LANGUAGE: the portals' screens in Dutch or French, or `auto` (read from each
portal's pages: what a login lands on declares its language)."""
REPORT_LANGUAGES = ("nl", "fr", "en")
"""The report's and the notification's languages (bot.evidence.catalog has all three)."""
UI_PASSWORD_MIN_LENGTH = 12


@dataclass(frozen=True)
class PortalSettings:
    """Where one portal lives and who logs in there."""

    name: str
    url: str
    username: str
    password: str = field(repr=False)


@dataclass(frozen=True)
class NotifySettings:
    """Where to send a summary when a run had failures (all optional)."""

    webhook: str = ""
    email_to: str = ""
    email_from: str = "informex-bot@localhost"
    smtp_host: str = "localhost"
    smtp_port: int = 25
    smtp_username: str = ""
    smtp_password: str = field(default="", repr=False)
    smtp_starttls: bool = False


@dataclass(frozen=True)
class ReportSettings:
    """How the morning report speaks, and how much disk the run folders may take."""

    language: str | None = None  # nl, fr or en; None: the portal's language when known, else nl
    runs_max_gb: float = 0.0  # 0: no size budget (only --keep-runs prunes)

    @property
    def runs_max_bytes(self) -> int | None:
        return int(self.runs_max_gb * 1e9) if self.runs_max_gb else None


@dataclass(frozen=True)
class Settings:
    """Everything the bot reads from its environment, typed and validated."""

    planmanager: PortalSettings
    winformex: PortalSettings
    runs_dir: Path = Path("runs")
    state_dir: Path = Path(".informex-bot")
    browser_executable: str | None = None
    headless: bool = True
    slowmo_ms: int = 0
    action_timeout_s: float = 15.0
    navigation_timeout_s: float = 30.0
    inject_timeout_s: float = 120.0
    trace: TraceMode = "retain-on-failure"
    screenshots: ScreenshotMode = "all"
    screenshots_format: ScreenshotFormat = "jpeg"
    assignment_pattern: str = DEFAULT_ASSIGNMENT_PATTERN
    legacy_chassis: bool = False
    portal_language: str = "auto"  # auto | nl | fr: the language of the portals' screens
    retries: int = 2
    retry_backoff_s: float = 1.0
    lease_store: Path | None = None  # None: BOT_STATE_DIR/leases
    lease_wait_s: float = 300.0
    max_consecutive_system_errors: int = 5  # 0: never stop a run for them
    min_free_mb: int = 300
    # Scale-out (docs/scale-out.md): empty database URL = the embedded SQLite ledger and local
    # leases; postgresql://… shares both between machines. The broker feeds `informex-bot worker`.
    database_url: str = field(default="", repr=False)
    broker_url: str = field(default="", repr=False)
    profiles_dir: Path | None = None  # BOT_PROFILES_DIR: one NAME.env per shop
    max_per_shop: int = 0  # BOT_MAX_PER_SHOP: dossiers of one shop at once (0: no limit)
    log_level: str = "INFO"
    notify: NotifySettings = field(default_factory=NotifySettings)
    # `informex-bot serve`: the office's password for its web page (empty: this machine only)
    ui_password: str = field(default="", repr=False)
    report: ReportSettings = field(default_factory=ReportSettings)

    @property
    def secrets(self) -> tuple[str, ...]:
        """Values that must never appear in a log line, report or trace."""
        values = [p.password for p in (self.planmanager, self.winformex)]
        values += [self.notify.smtp_password, self.ui_password]
        values += [urlsplit(url).password or "" for url in (self.database_url, self.broker_url)]
        return tuple(v for v in values if v)

    @property
    def forced_portal_language(self) -> str | None:
        """`nl` or `fr` when BOT_PORTAL_LANGUAGE forces the screens' language; None for auto."""
        return None if self.portal_language == "auto" else self.portal_language

    @property
    def lease_folder(self) -> Path:
        """Where the per-dossier leases live: every process of an installation must share it."""
        return self.lease_store or self.state_dir / "leases"

    def with_overrides(self, **changes: object) -> Settings:
        return replace(self, **changes)  # type: ignore[arg-type]

    def with_command_line(
        self, *, headed: bool = False, slowmo: int | None = None, out: Path | None = None
    ) -> Settings:
        """The options every command shares (--headed, --slowmo, --out) over the environment."""
        changes: dict[str, object] = {}
        if headed:
            changes["headless"] = False
        if slowmo is not None:
            changes["slowmo_ms"] = slowmo
        if out is not None:
            changes["runs_dir"] = out
        return self.with_overrides(**changes) if changes else self


_TRUE = {"1", "true", "yes", "on", "ja"}
_FALSE = {"0", "false", "no", "off", "nee"}


class _Reader:
    """Collects every problem instead of stopping at the first."""

    def __init__(self, env: Mapping[str, str]) -> None:
        self.env = env
        self.problems: list[str] = []

    def text(self, name: str, default: str | None = None, *, required: bool = False) -> str:
        value = self.env.get(name, "").strip()
        if value:
            return value
        if required:
            self.problems.append(f"{name} is not set")
        return default or ""

    def url(self, name: str, default: str) -> str:
        value = self.text(name, default)
        if not re.match(r"^https?://[^\s/]+", value):
            self.problems.append(f"{name}={value!r} is not an http(s) URL")
        return value if value.endswith("/") else value + "/"

    def boolean(self, name: str, default: bool) -> bool:
        value = self.text(name).lower()
        if not value:
            return default
        if value in _TRUE:
            return True
        if value in _FALSE:
            return False
        self.problems.append(f"{name}={value!r} is not a yes/no value (true/false, 1/0)")
        return default

    def number(self, name: str, default: float, low: float, high: float) -> float:
        value = self.text(name)
        if not value:
            return default
        try:
            number = float(value)
        except ValueError:
            self.problems.append(f"{name}={value!r} is not a number")
            return default
        if not low <= number <= high:
            self.problems.append(f"{name}={value!r} is outside {low:g}..{high:g}")
            return default
        return number

    def choice(self, name: str, default: str, choices: tuple[str, ...]) -> str:
        value = self.text(name, default).lower()
        if value not in choices:
            self.problems.append(f"{name}={value!r} must be one of {', '.join(choices)}")
            return default
        return value

    def pattern(self, name: str, default: str) -> str:
        value = self.text(name, default)
        try:
            re.compile(value)
        except re.error as exc:
            self.problems.append(f"{name}={value!r} is not a valid regular expression ({exc})")
            return default
        return value


def read_environment(env_file: Path | None = None) -> dict[str, str]:
    """The process environment over the `.env` file (real variables win)."""
    path = env_file if env_file is not None else Path(os.environ.get("BOT_ENV_FILE", ".env"))
    values: dict[str, str] = {}
    if path.is_file():
        values.update({k: v for k, v in dotenv_values(path).items() if v is not None})
    values.update(os.environ)
    return values


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Build the settings from `env` (default: environment over `.env`), or raise ConfigError."""
    r = _Reader(read_environment() if env is None else env)
    planmanager = PortalSettings(
        name="planmanager",
        url=r.url("PLANMANAGER_URL", f"{DEFAULT_PORTAL}/planmanager/"),
        username=r.text("PLANMANAGER_USERNAME", required=True),
        password=r.text("PLANMANAGER_PASSWORD", required=True),
    )
    winformex = PortalSettings(
        name="winformex",
        url=r.url("WINFORMEX_URL", f"{DEFAULT_PORTAL}/winformex/"),
        username=r.text("WINFORMEX_USERNAME", required=True),
        password=r.text("WINFORMEX_PASSWORD", required=True),
    )
    settings = Settings(
        planmanager=planmanager,
        winformex=winformex,
        runs_dir=Path(r.text("BOT_RUNS_DIR", "runs")),
        state_dir=Path(r.text("BOT_STATE_DIR", ".informex-bot")),
        browser_executable=r.text("BOT_BROWSER_EXECUTABLE") or None,
        headless=r.boolean("BOT_HEADLESS", True),
        slowmo_ms=int(r.number("BOT_SLOWMO_MS", 0, 0, 60_000)),
        action_timeout_s=r.number("BOT_ACTION_TIMEOUT_S", 15.0, 1, 600),
        navigation_timeout_s=r.number("BOT_NAVIGATION_TIMEOUT_S", 30.0, 1, 600),
        inject_timeout_s=r.number("BOT_INJECT_TIMEOUT_S", 120.0, 1, 3600),
        trace=r.choice("BOT_TRACE", "retain-on-failure", ("on", "retain-on-failure", "off")),  # type: ignore[arg-type]
        screenshots=r.choice("BOT_SCREENSHOTS", "all", ("all", "failures", "off")),  # type: ignore[arg-type]
        screenshots_format=r.choice("BOT_SCREENSHOTS_FORMAT", "jpeg", ("jpeg", "png")),  # type: ignore[arg-type]
        assignment_pattern=r.pattern("BOT_ASSIGNMENT_PATTERN", DEFAULT_ASSIGNMENT_PATTERN),
        legacy_chassis=r.boolean("BOT_LEGACY_CHASSIS", False),
        portal_language=r.choice("BOT_PORTAL_LANGUAGE", "auto", PORTAL_LANGUAGES),
        retries=int(r.number("BOT_RETRIES", 2, 0, 10)),
        retry_backoff_s=r.number("BOT_RETRY_BACKOFF_S", 1.0, 0, 300),
        lease_store=Path(r.text("BOT_LEASE_STORE")) if r.text("BOT_LEASE_STORE") else None,
        lease_wait_s=r.number("BOT_LEASE_WAIT_S", 300.0, 0, 3600),
        max_consecutive_system_errors=int(
            r.number("BOT_MAX_CONSECUTIVE_SYSTEM_ERRORS", 5, 0, 1000)
        ),
        min_free_mb=int(r.number("BOT_MIN_FREE_MB", 300, 0, 1_000_000)),
        database_url=r.text("BOT_DATABASE_URL"),
        broker_url=r.text("BOT_BROKER_URL"),
        profiles_dir=Path(r.text("BOT_PROFILES_DIR")) if r.text("BOT_PROFILES_DIR") else None,
        max_per_shop=int(r.number("BOT_MAX_PER_SHOP", 0, 0, 1000)),
        log_level=r.choice(
            "BOT_LOG_LEVEL", "info", ("trace", "debug", "info", "warning", "error")
        ).upper(),
    )
    webhook = r.text("BOT_NOTIFY_WEBHOOK")
    if webhook and not re.match(r"^https?://", webhook):
        r.problems.append(f"BOT_NOTIFY_WEBHOOK={webhook!r} is not an http(s) URL")
    settings = replace(
        settings,
        notify=NotifySettings(
            webhook=webhook,
            email_to=r.text("BOT_NOTIFY_EMAIL_TO"),
            email_from=r.text("BOT_NOTIFY_EMAIL_FROM", "informex-bot@localhost"),
            smtp_host=r.text("BOT_SMTP_HOST", "localhost"),
            smtp_port=int(r.number("BOT_SMTP_PORT", 25, 1, 65535)),
            smtp_username=r.text("BOT_SMTP_USERNAME"),
            smtp_password=r.text("BOT_SMTP_PASSWORD"),
            smtp_starttls=r.boolean("BOT_SMTP_STARTTLS", False),
        ),
    )
    ui_password = r.text("BOT_UI_PASSWORD")
    if ui_password and len(ui_password) < UI_PASSWORD_MIN_LENGTH:
        r.problems.append(
            f"BOT_UI_PASSWORD is shorter than {UI_PASSWORD_MIN_LENGTH} characters "
            "(the web page's only lock when it is served beyond this machine)"
        )
    database_url = settings.database_url
    if database_url and not re.match(r"^postgres(ql)?(\+\w+)?://", database_url):
        r.problems.append("BOT_DATABASE_URL must be empty (embedded SQLite) or postgresql://…")
    broker_url = settings.broker_url
    if broker_url and not re.match(r"^rediss?://", broker_url):
        r.problems.append("BOT_BROKER_URL must be a redis:// or rediss:// URL")
    settings = replace(settings, ui_password=ui_password)
    settings = replace(settings, report=_report_settings(r))
    if r.problems:
        raise ConfigError(
            "configuration problems (set them in the environment or .env):\n  - "
            + "\n  - ".join(r.problems)
        )
    return settings


def _report_settings(r: _Reader) -> ReportSettings:
    language = r.text("BOT_REPORT_LANGUAGE").lower()
    if language not in ("", *REPORT_LANGUAGES):
        r.problems.append(
            f"BOT_REPORT_LANGUAGE={language!r} must be one of {', '.join(REPORT_LANGUAGES)} "
            "(or empty: the portal's language when known, else nl)"
        )
        language = ""
    return ReportSettings(
        language=language or None,
        runs_max_gb=r.number("BOT_RUNS_MAX_GB", 0.0, 0, 1_000_000),
    )


def load_report_settings(env: Mapping[str, str] | None = None) -> tuple[Path, ReportSettings]:
    """BOT_RUNS_DIR and the report's settings alone (`informex-bot report` needs no portal
    credentials), or ConfigError naming every malformed one."""
    r = _Reader(read_environment() if env is None else env)
    runs_dir = Path(r.text("BOT_RUNS_DIR", "runs"))
    report = _report_settings(r)
    if r.problems:
        raise ConfigError(
            "configuration problems (set them in the environment or .env):\n  - "
            + "\n  - ".join(r.problems)
        )
    return runs_dir, report
