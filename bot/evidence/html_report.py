"""The morning report: `report.html`, an index that stays small whatever the size of the run.

An office reads it in the morning, in Dutch or French (English for engineers): what was linked,
what failed and why, and the screenshots that prove it. A night of thousands of dossiers has
hundreds of thousands of screenshots, so the report is a handful of small pages instead of one
page holding them all:

- `report.html`: the run's counts, then the dossiers that need a person (the first
  `INDEX_FAILURES`; all of them on their own pages), one line per shop with its counts when the
  results name shops (`profile` or `shop` of a dossier), and the pages of all dossiers (a run
  that fits one page lists its other dossiers right there);
- `_report/failures-N.html`, `_report/dossiers-N.html`, `_report/shop-SLUG-N.html`: those lists,
  `PAGE_SIZE` dossiers a page, failures first, with plain links from page to page (no script);
  each row shows the dossier's last screenshot (where it ended) and links to its page;
- `DOSSIER/index.html`, in the dossier's evidence folder: its facts, its error in the office's
  language (with the message as raised, for support), its film strip of screenshots, its trace
  and its log lines;
- `_report/run-log.html`: the run's own log lines (logins...), `_report/report.css`: the style.

No page loads more than a few hundred thumbnails, and the index of a 5,000-dossier run is tens
of kilobytes. Every page opens from the file system without network: no scripts (the pages'
Content-Security-Policy forbids them), no fonts or CDNs, screenshots and traces referred to by
relative paths that are checked to stay inside the run folder. Everything a portal or an input
file supplied (errors, dossier numbers, shop names, log lines) is HTML-escaped by Jinja's
autoescape. The words come from one catalogue (`bot.evidence.catalog`), and business errors are
shown in the office's language (`bot.evidence.known_errors`).

`build_report` rebuilds all of it from results.json and bot.log.jsonl, for a finished run, a
stopped one, or one still in progress (then it says so); pages that did not change are not
rewritten, and pages no longer part of the report are removed.
"""

from __future__ import annotations

import hashlib
import json
import os
import posixpath
import re
import shlex
import stat
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache, lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from bot.domain.models import SEED_STEPS, DossierResult, DossierStatus
from bot.errors import ReportError
from bot.evidence.files import dossier_folder, write_text_atomic
from bot.evidence.housekeeping import Pruning, read_pruning
from bot.evidence.known_errors import Explained, explain
from bot.evidence.recorder import slug
from bot.evidence.results import is_duplicate
from bot.evidence.texts import Texts, clean, resolve_language

TEMPLATES = Path(__file__).parent / "templates"
PAGES_DIR = "_report"  # a dossier's folder never starts with "_" (see dossier_folder)
STYLESHEET = f"{PAGES_DIR}/report.css"
PAGE_SIZE = 200
"""Dossiers on one list page (so at most this many thumbnails load on one)."""
INDEX_FAILURES = 100
"""Failures listed on report.html itself; all of them are on the failures pages."""
SHOP_KEYS = ("profile", "shop")
"""The results.json keys of a dossier that name its shop, when a run serves several."""

# Failures first (a person must act on them), then what needs a look, then the successes.
STATUS_ORDER: tuple[DossierStatus, ...] = (
    DossierStatus.BUSINESS_ERROR,
    DossierStatus.SYSTEM_ERROR,
    DossierStatus.DRY_RUN,
    DossierStatus.ALREADY_LINKED,
    DossierStatus.LINKED,
)
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
_UNSAFE_PATH = re.compile(r"[:\\?#\x00-\x1f]")  # a scheme, a drive, a query, a control character
_PLAIN_PATH = re.compile(r"[A-Za-z0-9._/-]+")  # needs no URL quoting
SHOT_NAME = re.compile(r"^(?P<number>\d+)-(?P<rest>.+)\.(?:png|jpg)$", re.IGNORECASE)


@dataclass(frozen=True)
class Screenshot:
    """One screenshot as a page shows it: its path in the run folder (URL-quoted), and the
    step and action it records."""

    src: str
    number: str
    step: str
    action: str
    present: bool
    step_label: str = ""  # the step as the office names it
    alt: str = ""


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
    """One dossier as the pages show it: the result plus its evidence, checked and ordered."""

    position: int  # in report order, from 1
    result: DossierResult
    shop: str | None
    folder: str  # its evidence folder in the run folder, where its page lives
    label: str
    error: Explained | None
    screenshots: list[Screenshot]
    skipped_paths: int
    trace_src: str | None
    trace_present: bool
    trace_command: str | None
    log: list[LogLine] = field(default_factory=list)

    @property
    def status(self) -> str:
        return self.result.status.value

    @property
    def failed(self) -> bool:
        return self.result.status in FAILED

    @property
    def page(self) -> str:
        return f"{self.folder}/index.html"

    @property
    def thumb(self) -> Screenshot | None:
        """The last screenshot there is: the screen where the dossier ended."""
        return next((shot for shot in reversed(self.screenshots) if shot.present), None)


@dataclass
class Listing:
    """A list of dossiers split into pages of PAGE_SIZE: `_report/NAME-N.html`."""

    name: str
    title: str
    views: list[DossierView]
    shop: str | None = None
    is_shop: bool = False

    @property
    def pages(self) -> int:
        return max(1, -(-len(self.views) // PAGE_SIZE))

    def path(self, page: int) -> str:
        return f"{PAGES_DIR}/{self.name}-{page}.html"

    def chunk(self, page: int) -> list[DossierView]:
        return self.views[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]

    def counts(self) -> dict[str, int]:
        counts = {status.value: 0 for status in DossierStatus}
        for view in self.views:
            counts[view.status] += 1
        return counts

    @property
    def failures(self) -> int:
        return sum(view.failed for view in self.views)


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


def shop_of(entry: object) -> str | None:
    """The shop a results.json entry names (`profile` or `shop`), if any."""
    if not isinstance(entry, Mapping):
        return None
    for key in SHOP_KEYS:
        value = entry.get(key)
        if value is not None and str(value).strip():
            return str(value).strip()
    return None


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
class EvidencePaths:
    """Paths from results.json checked against one run folder, each folder resolved once.

    Only plain relative POSIX paths pass: no scheme (`javascript:`, `file:`, drive letters),
    no absolute path, no `..`, no backslash, and no symlink that leads out of the folder.
    """

    def __init__(self, run_dir: Path) -> None:
        self.run_dir = run_dir
        self.root = run_dir.resolve()
        self.root_text = str(self.root)
        self._folders: dict[str, bool] = {}
        self._listed: dict[str, dict[str, str]] = {}

    def check(self, raw: object) -> tuple[str | None, bool]:
        """(the URL of `raw` relative to the run folder or None, whether the file is there)."""
        if not isinstance(raw, str) or not raw or len(raw) > 1000:
            return None, False
        if _UNSAFE_PATH.search(raw) or raw.startswith("/") or ".." in raw.split("/"):
            return None, False
        if posixpath.normpath(raw) == ".":
            return None, False
        folder, name = posixpath.split(raw)
        if not self._inside_folder(folder):
            return None, False
        url = raw if _PLAIN_PATH.fullmatch(raw) else quote(raw, safe="/")
        kind = self._entries(folder).get(name)
        if kind is None:
            return url, False  # not there (yet): shown as missing
        if kind == "link":
            target = os.path.join(self.root_text, raw)
            try:
                if not self._inside(Path(target).resolve()):
                    return None, False
            except OSError:
                return None, False
            return url, os.path.isfile(target)
        return url, kind == "file"

    def _entries(self, folder: str) -> dict[str, str]:
        """What a folder holds (name -> file, dir, link or other), listed once: a dossier's
        thirty screenshots cost one directory read instead of thirty file lookups."""
        entries = self._listed.get(folder)
        if entries is None:
            entries = {}
            try:
                with os.scandir(os.path.join(self.root_text, folder)) as found:
                    for entry in found:
                        if entry.is_symlink():
                            entries[entry.name] = "link"
                        elif entry.is_file(follow_symlinks=False):
                            entries[entry.name] = "file"
                        else:
                            entries[entry.name] = "other"
            except OSError:
                pass
            self._listed[folder] = entries
        return entries

    def _inside_folder(self, folder: str) -> bool:
        """Whether `folder` (relative, no `..`) stays inside the run folder: each level is a
        real folder, or missing, or a symlink that resolves inside (one lstat per level)."""
        if folder in ("", "."):
            return True
        known = self._folders.get(folder)
        if known is None:
            known = self._inside_folder(posixpath.dirname(folder)) and self._level_inside(folder)
            self._folders[folder] = known
        return known

    def _level_inside(self, folder: str) -> bool:
        path = os.path.join(self.root_text, folder)
        try:
            if not stat.S_ISLNK(os.lstat(path).st_mode):
                return True
            return self._inside(Path(path).resolve())
        except FileNotFoundError:
            return True
        except OSError:
            return False

    def _inside(self, path: Path) -> bool:
        try:
            path.relative_to(self.root)
        except ValueError:
            return False
        return True


def safe_relative_url(run_dir: Path, raw: object) -> str | None:
    """A URL for a file under the run folder, or None when `raw` could point anywhere else."""
    return EvidencePaths(run_dir).check(raw)[0]


@lru_cache(maxsize=4096)  # a night's dossiers share a few dozen screenshot names
def describe_screenshot(name: str) -> tuple[str, str, str]:
    """(number, step, action) from a screenshot's `NNN-step-action.jpg` (or `.png`) name.

    `009-inject-click-i-injecteer.jpg` -> ("009", "inject", "click i injecteer"). Step and action
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


def parse_time(value: object) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


# -- building ------------------------------------------------------------------------------
def report_order(results: list[DossierResult]) -> list[int]:
    """Indexes of `results` in report order: duplicates, other failures, then by status."""
    return sorted(
        range(len(results)),
        key=lambda i: (not is_duplicate(results[i]), STATUS_ORDER.index(results[i].status), i),
    )


def dossier_views(
    run_dir: Path,
    results: list[DossierResult],
    log: Mapping[str, list[LogLine]],
    texts: Texts,
    shops: list[str | None] | None = None,
) -> list[DossierView]:
    """The dossiers in report order, with their evidence checked and their error explained."""
    paths = EvidencePaths(run_dir)
    labels: dict[str, tuple[str, str, str, str, str]] = {}  # a night repeats a few dozen names

    def described(name: str) -> tuple[str, str, str, str, str]:
        if name not in labels:
            number, step, action = describe_screenshot(name)
            label, done = texts.step(step), texts.action(action)
            alt = texts("shots.alt", number=number, step=label, action=done)
            labels[name] = (number, step, done, label, alt)
        return labels[name]

    views = []
    for position, index in enumerate(report_order(results), start=1):
        result = results[index]
        shots: list[Screenshot] = []
        skipped = 0
        for raw in result.screenshots:
            src, present = paths.check(raw)
            if src is None:
                skipped += 1
                continue
            number, step, action, label, alt = described(posixpath.basename(str(raw)))
            shots.append(Screenshot(src, number, step, action, present, label, alt))
        trace_src, trace_present = paths.check(result.trace)
        trace_file = paths.root / str(result.trace) if trace_src else None
        views.append(
            DossierView(
                position=position,
                result=result,
                shop=shops[index] if shops else None,
                folder=dossier_folder(result.dossier),
                label=texts.status(result.status.value),
                error=explain(result.error, texts),
                screenshots=shots,
                skipped_paths=skipped + (1 if result.trace and trace_src is None else 0),
                trace_src=trace_src,
                trace_present=trace_present,
                trace_command=(
                    f"playwright show-trace {shlex.quote(str(trace_file))}" if trace_file else None
                ),
                log=list(log.get(result.dossier, [])),
            )
        )
    return views


def build_report(
    run_dir: Path, *, language: str | None = None, running: tuple[int, str] | None = None
) -> Path:
    """Write the run's report pages from its folder; return the path of `report.html`.

    `language`: nl, fr or en (None: the portal's language when results.json knows it, else
    Dutch). `running`: (pid, host) of the process working on the run, for a run in progress.
    """
    run_dir = Path(run_dir)
    document, results = read_results(run_dir)
    texts = Texts(resolve_language(language, document.get("portal_language")))
    entries = document.get("dossiers") or []
    shops = [shop_of(entry) for entry in entries]
    log = read_log(run_dir / "bot.log.jsonl")
    views = dossier_views(run_dir, results, log, texts, shops if any(shops) else None)
    known = {r.dossier for r in results}
    run_log = sorted(
        (line for key, lines in log.items() if key not in known for line in lines),
        key=lambda line: line.timestamp,
    )
    report = _Report(run_dir, texts, document, views, run_log, running, read_pruning(run_dir))
    report.write()
    return run_dir / "report.html"


@cache
def _environment() -> Environment:
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        finalize=clean,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return environment


class _Report:
    """The pages of one run's report, rendered and written."""

    def __init__(
        self,
        run_dir: Path,
        texts: Texts,
        document: Mapping[str, Any],
        views: list[DossierView],
        run_log: list[LogLine],
        running: tuple[int, str] | None,
        pruning: Pruning | None,
    ) -> None:
        self.run_dir = run_dir
        self.texts = texts
        self.document = document
        self.views = views
        self.run_log = run_log
        self.running = running
        self.pruning = pruning
        self.run_id = str(document.get("run_id") or run_dir.name)
        self.written: set[str] = set()
        t = texts
        self.all = Listing("dossiers", t("list.dossiers.page"), views)
        self.failures = Listing("failures", t("list.failures.page"), [v for v in views if v.failed])
        self.shops: list[Listing] = []
        if any(view.shop is not None for view in views):
            by_shop: dict[str | None, list[DossierView]] = {}
            for view in views:
                by_shop.setdefault(view.shop, []).append(view)
            for shop, members in by_shop.items():
                name = t("shop.none") if shop is None else shop
                self.shops.append(
                    Listing(
                        _shop_page_name(shop), t("list.shop.page", shop=name), members, shop, True
                    )
                )
            self.shops.sort(
                key=lambda listing: (
                    -listing.failures,
                    listing.shop is None,
                    str(listing.shop).casefold(),
                )
            )
        self.shop_of_view = {id(v): listing for listing in self.shops for v in listing.views}

    # -- context shared by every page --------------------------------------------------------
    def _context(self, folder: str) -> dict[str, Any]:
        """What every template gets, for a page in `folder` (relative to the run folder)."""
        t = self.texts
        return {
            "lang": t.language,
            "t": t.html,
            "tn": t.plural_html,
            "texts": t,
            "url": _linker(folder),
            "css": STYLESHEET,
            "run_id": self.run_id,
            "dash": t("format.none"),
            "code": _code,
            "listing_all": self.all,
        }

    def _render(self, template: str, folder: str, **values: Any) -> str:
        return _environment().get_template(template).render(**self._context(folder), **values)

    # -- writing -----------------------------------------------------------------------------
    def write(self) -> None:
        self._write(STYLESHEET, (TEMPLATES / "report.css").read_text(encoding="utf-8"))
        for position, view in enumerate(self.views):
            before = self.views[position - 1] if position else None
            after = self.views[position + 1] if position + 1 < len(self.views) else None
            self._write(view.page, self._dossier_page(view, before, after))
        listings = [self.all, self.failures, *self.shops]
        for listing in listings:
            for page in range(1, listing.pages + 1):
                if listing is self.failures and not listing.views:
                    break
                self._write(listing.path(page), self._list_page(listing, page))
        if self.run_log:
            self._write(f"{PAGES_DIR}/run-log.html", self._run_log_page())
        self._remove_stale()
        write_text_atomic(self.run_dir / "report.html", self._index_page())

    def _write(self, relative: str, text: str) -> None:
        """Write a page unless it holds this text already; atomic (no fsync: a page lost to a
        power cut is rebuilt by `informex-bot report`, and thousands of fsyncs are slow)."""
        self.written.add(relative)
        path = self.run_dir / relative
        try:
            if (
                path.stat().st_size == len(text.encode("utf-8"))
                and path.read_text(encoding="utf-8") == text
            ):
                return
        except (OSError, UnicodeDecodeError):
            pass
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
        try:
            tmp.write_text(text, encoding="utf-8")
            os.replace(tmp, path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise

    def _remove_stale(self) -> None:
        """List pages of an earlier build that this one no longer has (fewer pages, no shop)."""
        folder = self.run_dir / PAGES_DIR
        for path in folder.glob("*.html"):
            if f"{PAGES_DIR}/{path.name}" not in self.written:
                path.unlink(missing_ok=True)

    # -- the pages ---------------------------------------------------------------------------
    def _index_page(self) -> str:
        t = self.texts
        started = parse_time(self.document.get("started_at"))
        finished = parse_time(self.document.get("finished_at"))
        duration = (finished - started).total_seconds() if started and finished else None
        counts = self.all.counts()
        total = len(self.views)
        failures = self.failures.failures
        small = total <= PAGE_SIZE
        if self.running:
            title = t("report.title.running", run_id=self.run_id)
        elif failures:
            title = t("report.title.failed", run_id=self.run_id, failures=t.number(failures))
        else:
            title = t("report.title.done", run_id=self.run_id)
        return self._render(
            "index.html.j2",
            "",
            page_title=title,
            started=t.moment(started),
            finished=t.moment(finished) if finished else None,
            running=t("running.holder", pid=self.running[0], host=self.running[1])
            if self.running
            else None,
            built=t.moment(datetime.now().astimezone()),
            duration=t.duration(duration),
            run_error=explain(self.document.get("error"), t),
            unfinished=int(self.document.get("unfinished") or 0),
            cards=[(s.value, t.status(s.value), counts[s.value]) for s in DossierStatus],
            statuses=[(s.value, t.status(s.value)) for s in STATUS_ORDER],
            total=total,
            failures=failures,
            attempts=sum(view.result.attempts for view in self.views),
            failure_rows=self.failures.views[:INDEX_FAILURES],
            failures_listing=self.failures,
            shops=self.shops,
            done_rows=[view for view in self.views if not view.failed] if small else None,
            show_shop=bool(self.shops),
            page_size=PAGE_SIZE,
            run_log_lines=len(self.run_log),
            pruning=self.pruning,
            pruned_runs=_pruned_runs(self.pruning, t),
        )

    def _list_page(self, listing: Listing, page: int) -> str:
        return self._render(
            "list.html.j2",
            PAGES_DIR,
            page_title=self.texts("report.title.page", run_id=self.run_id, page=listing.title),
            listing=listing,
            page=page,
            rows=listing.chunk(page),
            counts=listing.counts() if listing.is_shop else None,
            statuses=[(s.value, self.texts.status(s.value)) for s in STATUS_ORDER],
            show_shop=bool(self.shops) and not listing.is_shop,
        )

    def _dossier_page(
        self, view: DossierView, before: DossierView | None, after: DossierView | None
    ) -> str:
        return self._render(
            "dossier.html.j2",
            view.folder,
            page_title=self.texts(
                "report.title.page",
                run_id=self.run_id,
                page=self.texts("dossier.heading", dossier=view.result.dossier),
            ),
            d=view,
            before=before,
            after=after,
            list_page=self.all.path((view.position - 1) // PAGE_SIZE + 1),
            list_number=(view.position - 1) // PAGE_SIZE + 1,
            shop_listing=self.shop_of_view.get(id(view)),
            values=[
                (self.texts.field(str(key)) or str(key), key, value)
                for key, value in (view.result.values or {}).items()
            ],
            step=self.texts.step(view.result.step) if view.result.step else None,
        )

    def _run_log_page(self) -> str:
        page = self.texts("runlog.page")
        title = self.texts("report.title.page", run_id=self.run_id, page=page)
        return self._render("runlog.html.j2", PAGES_DIR, page_title=title, lines=self.run_log)


def _linker(folder: str) -> Callable[[str], str]:
    """`url(target)`: a path from the run folder as a link from a page in `folder`.

    Targets are checked paths inside the run folder (no `..`), so the link is the target
    itself from the run folder, the part after `folder/` for the folder's own files, and one
    `../` per level of `folder` for the rest.
    """
    if not folder:
        return lambda target: target
    own = folder + "/"
    up = "../" * (folder.count("/") + 1)
    return lambda target: target[len(own) :] if target.startswith(own) else up + target


def _shop_page_name(shop: str | None) -> str:
    """`shop-garage-janssens-1a2b3c`: readable, and one per shop however it is spelled."""
    if shop is None:
        return "shop-0"
    readable = re.sub(r"[^a-z0-9]+", "-", shop.casefold()).strip("-")[:40]
    digest = hashlib.sha256(shop.encode("utf-8")).hexdigest()[:6]
    return f"shop-{readable}-{digest}" if readable else f"shop-{digest}"


def _code(text: str) -> Markup:
    """A command a person may copy, as a `<code>` element (its text escaped)."""
    return Markup("<code>{}</code>").format(text)


def _pruned_runs(pruning: Pruning | None, texts: Texts) -> dict[str, str]:
    if pruning is None:
        return {"forced": "", "removed": "", "budget": "", "size": ""}
    forced = ", ".join(
        texts("pruned.run", run_id=run.run_id, failures=texts.number(run.unresolved))
        for run in pruning.forced
    )
    removed = ", ".join(run.run_id for run in pruning.removed if not run.forced)
    return {
        "forced": forced,
        "removed": removed,
        "budget": texts.gigabytes(pruning.budget_bytes) if pruning.budget_bytes else "",
        "size": texts.gigabytes(pruning.total_bytes) if pruning.total_bytes else "",
    }
