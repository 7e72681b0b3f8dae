"""One recorder for all evidence: a screenshot after every action, masking, and the trace.

Page objects call `recorder.after(page, "click-opslaan")` after each action; the recorder names
the file `NNN-step-action.jpg` (`.png` with `BOT_SCREENSHOTS_FORMAT=png`) in the dossier's
folder, masks password fields, and writes the file on a background thread so the bot does not
wait on the disk. With `BOT_SCREENSHOTS=failures` the images stay in memory and reach the disk
only if the dossier fails; `off` takes none. Traces (`BOT_TRACE`) are started and kept here too,
so turning evidence off is one setting.

A trace must not hand over the portals: Playwright writes every request's cookies and headers
into `trace.network`, and the pages' CSRF tokens into the DOM snapshots, the saved HTML and the
form posts. Playwright has no switch to leave network data out, and a trace without it loses
what a failure is read for, so a kept trace is redacted after it is written (`redact_trace`):
Playwright writes the raw trace into a private temporary folder (0700, outside the run folder),
the recorder rewrites it into `trace.zip` with every cookie value, every `Cookie`, `Set-Cookie`,
`Authorization` or token-named header, and every token-named form field, query parameter,
hidden input, `<meta>` or attribute (`csrf_token`, `data-csrf`, …) replaced by `[redacted]`
wherever it occurs in any member, then deletes the raw one. The rewrite is atomic and keeps the
archive's layout, so `playwright show-trace` opens it as before; a trace that cannot be
redacted is not kept at all. Passwords never reach a trace: logins run in an untraced context.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import unicodedata
import uuid
import zipfile
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import suppress
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, quote_plus

from loguru import logger
from playwright.sync_api import BrowserContext, Page

from bot.settings import ScreenshotFormat, ScreenshotMode, TraceMode

# Everything a person types that must not be seen in evidence.
MASKED_SELECTOR = "input[type=password]"
SCREENSHOT_TIMEOUT_MS = 10_000
JPEG_QUALITY = 60
"""Measured on the portals' screens (docs/performance.md shows one): 8-pixel text stays legible
at 60, and the file is about a third of the PNG's (2.9 -> 1.4 MB a dossier). Lower smears the
small labels of the 2e circuit form."""
EXTENSIONS: dict[str, str] = {"jpeg": "jpg", "png": "png"}


def slug(text: str, limit: int = 40) -> str:
    """File-name-safe, readable: 'Gegevens 2e circuit' -> 'gegevens-2e-circuit'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    cleaned = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return cleaned[:limit].rstrip("-") or "action"


def _write_image(path: Path, image: bytes) -> Path | None:
    """Write one screenshot; on a write error (disk full) log it and leave no partial file.

    Evidence must never turn a dossier that was linked into a crash: the result still lands.
    """
    try:
        path.write_bytes(image)
        return path
    except OSError as exc:
        logger.warning("screenshot {} not written: {}", path.name, exc)
        with suppress(OSError):
            path.unlink(missing_ok=True)
        return None


# -- what a kept trace must not hand over ----------------------------------------------------
REDACTED = "[redacted]"
SECRET_NAME = re.compile(
    r"csrf|xsrf|token|session|sessid|^sid$|auth(?!or)|passw|secret|api.?key|cookie|signature",
    re.IGNORECASE,
)
"""A header, form field, query parameter, input, meta or attribute whose name says: credential."""
ALWAYS_SECRET_HEADERS = frozenset({"cookie", "set-cookie", "authorization", "proxy-authorization"})
MIN_SEARCHED_CHARS = 8
"""Shorter values are blanked where they stand but not searched for in the rest of the trace."""


def redact_trace(raw: Path, target: Path) -> int:
    """Write `raw` (a Playwright trace) to `target` without credentials; atomic.

    Credentials are found where a trace holds them by name (network entries' cookies, headers,
    form posts and query strings; DOM snapshots' and saved pages' token inputs and attributes),
    then every occurrence of each value is replaced in every member, so a token in a saved
    page, a post body or a URL is gone too. Returns how many distinct values were removed.
    """
    with zipfile.ZipFile(raw) as archive:
        members = [(info, archive.read(info)) for info in archive.infolist()]
    found: set[str] = set()
    cleaned = []
    for info, data in members:
        if info.filename.endswith(".network"):
            data = _redact_network(data, found)
        elif info.filename.endswith(".trace"):
            found.update(_snapshot_secrets(data))
        elif info.filename.endswith((".html", ".htm")):
            found.update(_page_secrets(data))
        cleaned.append((info, data))
    needles = _needles(found)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        with zipfile.ZipFile(tmp, "w") as out:
            for info, data in cleaned:
                for needle in needles:
                    data = data.replace(needle, REDACTED.encode())
                out.writestr(info, data, compress_type=info.compress_type)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return len(found)


def _needles(values: Iterable[str]) -> list[bytes]:
    """Each value as a member may hold it (plain, or form/URL-encoded), longest first."""
    needles = {
        form.encode()
        for value in values
        if len(value) >= MIN_SEARCHED_CHARS
        for form in (value, quote_plus(value), quote(value, safe=""))
    }
    return sorted(needles, key=len, reverse=True)


def _redact_network(data: bytes, found: set[str]) -> bytes:
    """Blank credentials in `trace.network`'s entries (HAR-like JSON lines); note their values."""
    lines = []
    for line in data.decode("utf-8", errors="surrogateescape").split("\n"):
        try:
            entry = json.loads(line)
        except ValueError:
            lines.append(line)
            continue
        snapshot = entry.get("snapshot") if isinstance(entry, dict) else None
        if isinstance(snapshot, dict):
            for part in ("request", "response"):
                if isinstance(snapshot.get(part), dict):
                    _redact_message(snapshot[part], found)
        lines.append(json.dumps(entry, ensure_ascii=False, separators=(",", ":")))
    return "\n".join(lines).encode("utf-8", errors="surrogateescape")


def _redact_message(message: dict[str, Any], found: set[str]) -> None:
    for cookie in _dicts(message.get("cookies")):
        found.add(str(cookie.get("value", "")))
        cookie["value"] = REDACTED
    for header in _dicts(message.get("headers")):
        name, value = str(header.get("name", "")), str(header.get("value", ""))
        if name.lower() in ALWAYS_SECRET_HEADERS or SECRET_NAME.search(name):
            found.update(_header_secrets(name, value))
            header["value"] = REDACTED
    for param in _dicts(message.get("queryString")):
        _redact_param(param, found)
    post = message.get("postData")
    if isinstance(post, dict):
        for param in _dicts(post.get("params")):
            _redact_param(param, found)
        text = post.get("text")
        if isinstance(text, str) and "=" in text:
            found.update(v for k, v in parse_qsl(text) if SECRET_NAME.search(k))


def _redact_param(param: dict[str, Any], found: set[str]) -> None:
    if SECRET_NAME.search(str(param.get("name", ""))):
        found.add(str(param.get("value", "")))
        param["value"] = REDACTED


def _header_secrets(name: str, value: str) -> Iterator[str]:
    """The values a credential header carries: each cookie's, or the token after the scheme."""
    yield value
    lowered = name.lower()
    for line in value.split("\n"):
        if lowered == "cookie":
            for pair in line.split(";"):
                yield pair.partition("=")[2].strip()
        elif lowered == "set-cookie":
            yield line.split(";", 1)[0].partition("=")[2].strip()
        else:
            yield line.strip().rpartition(" ")[2]


def _dicts(items: object) -> list[dict[str, Any]]:
    return [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []


def _secret_attributes(tag: str, attrs: dict[str, str]) -> Iterator[str]:
    """Credential values of one element: a token-named input or meta, a token-named attribute,
    a password field's value (`__playwright_value_` is the value a snapshot saw typed)."""
    for name, value in attrs.items():
        if SECRET_NAME.search(name):
            yield value
    named_secret = SECRET_NAME.search(attrs.get("name", "")) is not None
    if tag in ("input", "meta") and (named_secret or attrs.get("type") == "password"):
        for key in ("value", "__playwright_value_", "content"):
            if attrs.get(key):
                yield attrs[key]


def _snapshot_secrets(data: bytes) -> Iterator[str]:
    """Credential values in the DOM snapshots of `trace.trace` (JSON lines)."""
    for line in data.decode("utf-8", errors="replace").split("\n"):
        if '"frame-snapshot"' not in line:
            continue
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        stack = [entry.get("snapshot", {}).get("html")]
        while stack:  # nodes are [tag, {attrs}, *children]; [[a, b]] is a reference
            node = stack.pop()
            if not (isinstance(node, list) and node and isinstance(node[0], str)):
                continue
            if len(node) > 1 and isinstance(node[1], dict):
                attrs = {str(k): str(v) for k, v in node[1].items()}
                yield from _secret_attributes(node[0].lower(), attrs)
            stack.extend(node[1:])


class _SecretAttributes(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        self.found.extend(_secret_attributes(tag.lower(), values))


def _page_secrets(data: bytes) -> list[str]:
    """Credential values in a saved page (the HTML a response carried)."""
    parser = _SecretAttributes()
    with suppress(Exception):  # a page the parser chokes on still gets the others' values
        parser.feed(data.decode("utf-8", errors="replace"))
        parser.close()
    return parser.found


class Recorder:
    """Screenshots and trace of one dossier (or of the run's login), in one folder."""

    def __init__(
        self,
        folder: Path,
        run_dir: Path,
        *,
        screenshots: ScreenshotMode = "all",
        trace: TraceMode = "retain-on-failure",
        image_format: ScreenshotFormat = "jpeg",
    ) -> None:
        self.folder = folder
        self.image_format = image_format
        self.run_dir = run_dir
        self.screenshots = screenshots
        self.trace_mode = trace
        self.step = "start"
        self._count = 0
        self._buffered: list[tuple[Path, bytes]] = []
        self._written: list[Path] = []
        self._writes: list[Future[Path | None]] = []
        self._writer: ThreadPoolExecutor | None = None
        self._tracing: BrowserContext | None = None
        self._trace_path: Path | None = None

    # -- screenshots ---------------------------------------------------------------------
    def at_step(self, step: str) -> None:
        """Name the business step the next screenshots belong to."""
        self.step = step

    def after(self, page: Page, action: str) -> Path | None:
        """Screenshot the page after an action; never raises (evidence must not break a run)."""
        if self.screenshots == "off":
            return None
        self._count += 1
        name = f"{self._count:03d}-{slug(self.step)}-{slug(action)}"
        path = self.folder / f"{name}.{EXTENSIONS[self.image_format]}"
        image = self._capture(page, path, self.image_format)
        if image is None:
            return None
        if self.screenshots == "all":
            self._write_later(path, image)
        else:
            self._buffered.append((path, image))
        return path

    @staticmethod
    def _capture(page: Page, path: Path, image_format: ScreenshotFormat) -> bytes | None:
        """The page as a person sees it, password fields masked; None if it cannot be taken.

        Playwright's own capture, not a raw CDP `Page.captureScreenshot`: that one is about 35 ms
        cheaper but has no timeout and was seen hanging for good when a navigation swapped the
        page under it; an unattended night must not hang on evidence. The mask (an extra ~20 ms
        of round trips) is only asked for when the page shows a password field.
        """
        masked = page.locator(MASKED_SELECTOR)
        for attempt in (1, 2):  # a page that is just reloading itself gets a second chance
            try:
                mask = [masked] if masked.count() else []
                # caret="initial": hiding the text caret means injecting a style into every
                # frame and removing it again, two extra paints per image for a 1-pixel line.
                if image_format == "jpeg":
                    return page.screenshot(
                        type="jpeg",
                        quality=JPEG_QUALITY,
                        mask=mask,
                        caret="initial",
                        timeout=SCREENSHOT_TIMEOUT_MS,
                    )
                return page.screenshot(
                    type="png", mask=mask, caret="initial", timeout=SCREENSHOT_TIMEOUT_MS
                )
            except Exception as exc:  # page closed, browser gone: the real error shows elsewhere
                if attempt == 2 or page.is_closed():
                    logger.warning("screenshot {} not taken: {}", path.name, exc)
        return None

    def _write_later(self, path: Path, image: bytes) -> None:
        if self._writer is None:
            self.folder.mkdir(parents=True, exist_ok=True)
            self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="evidence")
        self._writes.append(self._writer.submit(_write_image, path, image))

    # -- traces --------------------------------------------------------------------------
    def start_trace(self, context: BrowserContext, title: str, *, first_attempt: bool) -> None:
        """Trace one attempt: actions, network and console always; DOM snapshots when it pays.

        No screencast: the recorder's own screenshot after every action is the film strip, and
        a screencast costs a JPEG per frame on the same cores. DOM snapshots cost about 1.5
        CPU-s a dossier; under `retain-on-failure` most first attempts succeed and their trace
        is thrown away, so a first attempt records without them (its trace, kept when it fails
        for good, still has every action, request and console line, and the film strip shows
        each screen). A retry, which follows a failure, records them, as `on` always does.
        """
        if self.trace_mode == "off":
            return
        snapshots = self.trace_mode == "on" or not first_attempt
        context.tracing.start(title=title, screenshots=False, snapshots=snapshots, sources=False)
        self._tracing = context

    def stop_trace(self, *, keep_failed: bool) -> None:
        """Stop the trace; keep it when tracing is `on`, or when asked under `retain-on-failure`."""
        context, self._tracing = self._tracing, None
        if context is None:
            return
        keep = self.trace_mode == "on" or (keep_failed and self.trace_mode == "retain-on-failure")
        if not keep:
            try:
                context.tracing.stop()
            except Exception as exc:  # a crashed browser: there was nothing to keep anyway
                logger.warning("trace not saved: {}", type(exc).__name__)
            return
        path = self.folder / "trace.zip"
        self._trace_path = None
        raw_dir = Path(tempfile.mkdtemp(prefix="informex-bot-trace-"))  # 0700, not in the run
        try:
            raw = raw_dir / "trace.zip"
            context.tracing.stop(path=raw)
            self.folder.mkdir(parents=True, exist_ok=True)
            redact_trace(raw, path)
            self._trace_path = path
        except Exception as exc:  # a crashed browser, a full disk: no trace, and no half of one
            logger.warning("trace not saved: {}", type(exc).__name__)
            with suppress(OSError):
                path.unlink(missing_ok=True)
        finally:
            shutil.rmtree(raw_dir, ignore_errors=True)

    # -- closing -------------------------------------------------------------------------
    def finish(self, *, failed: bool) -> tuple[list[str], str | None]:
        """Flush evidence; return screenshot and trace paths relative to the run folder."""
        self.stop_trace(keep_failed=failed)
        trace = self._trace_path
        if failed and self._buffered:
            for path, image in self._buffered:
                self._write_later(path, image)
        self._buffered.clear()
        for write in self._writes:
            written = write.result()  # never raises: a lost image is logged, not fatal
            if written is not None:
                self._written.append(written)
        self._writes.clear()
        if self._writer is not None:
            self._writer.shutdown(wait=True)
            self._writer = None
        shots = [self._relative(p) for p in self._written]
        return shots, (self._relative(trace) if trace else None)

    def _relative(self, path: Path) -> str:
        try:
            return path.relative_to(self.run_dir).as_posix()
        except ValueError:
            return path.as_posix()
