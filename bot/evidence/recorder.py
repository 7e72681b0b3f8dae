"""One recorder for all evidence: a screenshot after every action, masking, and the trace.

Page objects call `recorder.after(page, "click-opslaan")` after each action; the recorder names
the file `NNN-step-action.png` in the dossier's folder, masks password fields, and writes the file
on a background thread so the bot does not wait on the disk. With `BOT_SCREENSHOTS=failures` the
images stay in memory and reach the disk only if the dossier fails; `off` takes none. Traces
(`BOT_TRACE`) are started and kept here too, so turning evidence off is one setting.
"""

from __future__ import annotations

import re
import unicodedata
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import suppress
from pathlib import Path

from loguru import logger
from playwright.sync_api import BrowserContext, Page

from bot.settings import ScreenshotMode, TraceMode

# Everything a person types that must not be seen in evidence.
MASKED_SELECTOR = "input[type=password]"
SCREENSHOT_TIMEOUT_MS = 10_000


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


class Recorder:
    """Screenshots and trace of one dossier (or of the run's login), in one folder."""

    def __init__(
        self,
        folder: Path,
        run_dir: Path,
        *,
        screenshots: ScreenshotMode = "all",
        trace: TraceMode = "retain-on-failure",
    ) -> None:
        self.folder = folder
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
        path = self.folder / f"{self._count:03d}-{slug(self.step)}-{slug(action)}.png"
        image = self._capture(page, path)
        if image is None:
            return None
        if self.screenshots == "all":
            self._write_later(path, image)
        else:
            self._buffered.append((path, image))
        return path

    @staticmethod
    def _capture(page: Page, path: Path) -> bytes | None:
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
                return page.screenshot(type="png", mask=mask, timeout=SCREENSHOT_TIMEOUT_MS)
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
    def start_trace(self, context: BrowserContext, title: str) -> None:
        if self.trace_mode == "off":
            return
        # No screencast: the recorder's own screenshot after every action is the film strip,
        # and a screencast costs a JPEG per frame on the same cores. DOM snapshots stay.
        context.tracing.start(title=title, screenshots=False, snapshots=True, sources=False)
        self._tracing = context

    def stop_trace(self, *, keep_failed: bool) -> None:
        """Stop the trace; keep it when tracing is `on`, or when asked under `retain-on-failure`."""
        context, self._tracing = self._tracing, None
        if context is None:
            return
        keep = self.trace_mode == "on" or (keep_failed and self.trace_mode == "retain-on-failure")
        try:
            if keep:
                self.folder.mkdir(parents=True, exist_ok=True)
                self._trace_path = None
                path = self.folder / "trace.zip"
                context.tracing.stop(path=path)
                self._trace_path = path
            else:
                context.tracing.stop()
        except Exception as exc:  # a crashed browser, a full disk: no trace, and no half of one
            logger.warning("trace not saved: {}", type(exc).__name__)
            if keep:
                with suppress(OSError):
                    (self.folder / "trace.zip").unlink(missing_ok=True)

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
