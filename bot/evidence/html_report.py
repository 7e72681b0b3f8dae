"""`report.html`: the one page the office manager reads in the morning.

It says what was linked, what failed and why, and shows the screenshots that prove it. The page
must open from the file system on a laptop without network, so it is self-contained (inline CSS,
no scripts, no fonts or CDNs) and refers to screenshots and traces by relative paths instead of
embedding them: a nightly run has thousands of images. Everything in it that a portal or an input
file supplied (errors, dossier numbers, log messages) is HTML-escaped by Jinja's autoescape, and
every path put into a `src` or `href` is checked to stay inside the run folder.
"""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from bot.domain.models import SEED_STEPS, DossierResult, DossierStatus
from bot.errors import ReportError
from bot.evidence.files import write_text_atomic
from bot.evidence.recorder import slug
from bot.evidence.results import is_duplicate

TEMPLATES = Path(__file__).parent / "templates"

# Failures first (a person must act on them), then what needs a look, then the successes.
STATUS_ORDER: tuple[DossierStatus, ...] = (
    DossierStatus.BUSINESS_ERROR,
    DossierStatus.SYSTEM_ERROR,
    DossierStatus.DRY_RUN,
    DossierStatus.ALREADY_LINKED,
    DossierStatus.LINKED,
)
STATUS_LABELS: Mapping[DossierStatus, str] = {
    DossierStatus.LINKED: "Linked",
    DossierStatus.ALREADY_LINKED: "Already linked",
    DossierStatus.BUSINESS_ERROR: "Business error",
    DossierStatus.SYSTEM_ERROR: "System error",
    DossierStatus.DRY_RUN: "Dry run",
}
FAILED = frozenset({DossierStatus.BUSINESS_ERROR, DossierStatus.SYSTEM_ERROR})

# Step names as the recorder writes them into screenshot names, longest first so that
# `check-complete` wins over `check`. Besides the workflow's steps: logins, `check`, `discover`.
KNOWN_STEPS: tuple[str, ...] = tuple(
    sorted(
        {slug(name) for name in SEED_STEPS}
        | {"login-planmanager", "login-winformex", "check", "discover", "start"},
        key=len,
        reverse=True,
    )
)
# Terminal escapes and other control characters carry no meaning on a page; tab and newline do.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
SHOT_NAME = re.compile(r"^(?P<number>\d+)-(?P<rest>.+)\.png$", re.IGNORECASE)


@dataclass(frozen=True)
class Screenshot:
    """One screenshot as the page shows it: its URL, and the step and action it records."""

    src: str
    number: str
    step: str
    action: str
    present: bool


@dataclass(frozen=True)
class LogLine:
    """One line of bot.log.jsonl, reduced to what a person reads."""

    time: str
    timestamp: str
    level: str
    dossier: str
    step: str
    message: str


@dataclass
class DossierView:
    """One dossier's row and section: the result plus its evidence, checked and ordered."""

    anchor: str
    result: DossierResult
    status: str
    label: str
    failed: bool
    screenshots: list[Screenshot]
    skipped_paths: int
    trace_src: str | None
    trace_present: bool
    trace_command: str | None
    log: list[LogLine] = field(default_factory=list)


# -- reading the run folder ----------------------------------------------------------------
def read_results(run_dir: Path) -> tuple[dict[str, Any], list[DossierResult]]:
    """The results.json document and its dossiers, or a ReportError saying what is wrong."""
    path = run_dir / "results.json"
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ReportError(f"cannot read {path}: {exc}") from None
    if not isinstance(document, dict) or not isinstance(document.get("dossiers", []), list):
        raise ReportError(f"{path} is not a results document")
    results = []
    for index, entry in enumerate(document.get("dossiers", [])):
        try:
            results.append(DossierResult.from_dict(entry))
        except (KeyError, TypeError, ValueError) as exc:
            raise ReportError(f"{path}: dossier entry {index} is unreadable: {exc!r}") from None
    return document, results


def read_log(path: Path) -> dict[str, list[LogLine]]:
    """Log lines per dossier (`-` for the run's own lines); unreadable lines are skipped."""
    lines: dict[str, list[LogLine]] = {}
    if not path.is_file():
        return lines
    with open(path, encoding="utf-8", errors="replace") as handle:
        for raw in handle:
            try:
                record = json.loads(raw)["record"]
                extra = record.get("extra") or {}
                stamp = str(record["time"]["repr"])
                line = LogLine(
                    time=_clock(stamp),
                    timestamp=stamp,
                    level=str(record["level"]["name"]),
                    dossier=str(extra.get("dossier") or "-"),
                    step=str(extra.get("step") or "-"),
                    message=str(record["message"]),
                )
            except (ValueError, KeyError, TypeError, AttributeError):
                continue
            lines.setdefault(line.dossier, []).append(line)
    return lines


def _clock(stamp: str) -> str:
    """`2026-11-29 02:36:55.253531+00:00` -> `02:36:55`."""
    match = re.search(r"\d{2}:\d{2}:\d{2}", stamp)
    return match.group(0) if match else stamp


# -- paths into the run folder -------------------------------------------------------------
def safe_relative_url(run_dir: Path, raw: object) -> str | None:
    """A URL for a file under the run folder, or None when `raw` could point anywhere else.

    Only plain relative POSIX paths pass: no scheme (`javascript:`, `file:`, drive letters),
    no absolute path, no `..`, no backslash, and no symlink that leads out of the folder.
    """
    if not isinstance(raw, str) or not raw or len(raw) > 1000:
        return None
    if any(c in raw for c in ":\\\x00?#") or raw.startswith("/"):
        return None
    if any(ord(c) < 32 for c in raw):
        return None
    parts = PurePosixPath(raw).parts
    if not parts or ".." in parts:
        return None
    root = run_dir.resolve()
    try:
        (root / raw).resolve().relative_to(root)
    except (ValueError, OSError):
        return None
    return quote(raw, safe="/")


def describe_screenshot(name: str) -> tuple[str, str, str]:
    """(number, step, action) from a screenshot's `NNN-step-action.png` name.

    `009-inject-click-i-injecteer.png` -> ("009", "inject", "click i injecteer"). Step and action
    are both slugs with hyphens, so the known step names decide where the step ends.
    """
    match = SHOT_NAME.match(name)
    if match is None:
        return "", "", name
    number, rest = match.group("number"), match.group("rest")
    for step in KNOWN_STEPS:
        if rest == step or rest.startswith(step + "-"):
            action = rest[len(step) + 1 :]
            break
    else:
        step, _, action = rest.partition("-")
    return number, step, action.replace("-", " ")


# -- formatting ----------------------------------------------------------------------------
def parse_time(value: object) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def format_time(moment: datetime | None) -> str:
    if moment is None:
        return "—"
    text = moment.strftime("%Y-%m-%d %H:%M:%S")
    offset = moment.strftime("%z")
    return f"{text} UTC{offset[:3]}:{offset[3:]}" if offset else text


def format_duration(seconds: float | None) -> str:
    """`0.4 s`, `18.7 s`, `2 min 05 s`, `1 h 02 min`."""
    if seconds is None:
        return "—"
    if seconds < 60:
        return f"{seconds:.1f} s"
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes:02d} min"
    return f"{minutes} min {secs:02d} s"


# -- building ------------------------------------------------------------------------------
def dossier_views(
    run_dir: Path, results: Iterable[DossierResult], log: Mapping[str, list[LogLine]]
) -> list[DossierView]:
    """The dossiers in report order (duplicates, other failures, then input order), evidence."""
    ordered = sorted(
        enumerate(results),
        key=lambda item: (
            not is_duplicate(item[1]),
            STATUS_ORDER.index(item[1].status),
            item[0],
        ),
    )
    views = []
    for position, (_, result) in enumerate(ordered, start=1):
        shots: list[Screenshot] = []
        skipped = 0
        for raw in result.screenshots:
            src = safe_relative_url(run_dir, raw)
            if src is None:
                skipped += 1
                continue
            number, step, action = describe_screenshot(PurePosixPath(str(raw)).name)
            shots.append(Screenshot(src, number, step, action, (run_dir / str(raw)).is_file()))
        trace_src = safe_relative_url(run_dir, result.trace)
        trace_file = (run_dir / str(result.trace)).resolve() if trace_src else None
        views.append(
            DossierView(
                anchor=f"dossier-{position}",
                result=result,
                status=result.status.value,
                label=STATUS_LABELS[result.status],
                failed=result.status in FAILED,
                screenshots=shots,
                skipped_paths=skipped + (1 if result.trace and trace_src is None else 0),
                trace_src=trace_src,
                trace_present=bool(trace_file and trace_file.is_file()),
                trace_command=(
                    f"playwright show-trace {shlex.quote(str(trace_file))}" if trace_file else None
                ),
                log=list(log.get(result.dossier, [])),
            )
        )
    return views


def render_report(run_dir: Path) -> str:
    """The report page of a run folder, as text."""
    document, results = read_results(run_dir)
    log = read_log(run_dir / "bot.log.jsonl")
    views = dossier_views(run_dir, results, log)
    known = {r.dossier for r in results}
    run_log = [line for key, lines in log.items() if key not in known for line in lines]
    run_log.sort(key=lambda line: line.timestamp)
    started = parse_time(document.get("started_at"))
    finished = parse_time(document.get("finished_at"))
    duration = (finished - started).total_seconds() if started and finished else None
    counts = {status: sum(1 for r in results if r.status is status) for status in DossierStatus}
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        finalize=_printable,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["duration"] = format_duration
    return environment.get_template("report.html.j2").render(
        run_id=str(document.get("run_id") or run_dir.name),
        started=format_time(started),
        finished=format_time(finished),
        is_finished=finished is not None,
        run_error=document.get("error"),
        duration=format_duration(duration),
        counts=[(s.value, STATUS_LABELS[s], counts[s]) for s in STATUS_ORDER],
        cards=[(s.value, STATUS_LABELS[s], counts[s]) for s in DossierStatus],
        total=len(results),
        failures=sum(counts[s] for s in FAILED),
        attempts=sum(r.attempts for r in results),
        dossiers=views,
        run_log=run_log,
        generated=format_time(datetime.now().astimezone()),
    )


def _printable(value: object) -> object:
    """Every `{{ … }}` value passes here before escaping: strings lose control characters."""
    return _CONTROL.sub("", value) if isinstance(value, str) else value


def build_report(run_dir: Path) -> Path:
    """Write `run_dir/report.html` (atomically) from the run folder; return its path."""
    run_dir = Path(run_dir)
    path = run_dir / "report.html"
    write_text_atomic(path, render_report(run_dir))
    return path
