"""What every page object shares: recorded actions, waits that explain themselves, error mapping.

Each public action of a page object goes through `_click`, `_fill`, `_check`, `_select`, `_goto`
or `_submit`, so every action is screenshotted by the shared recorder and every Playwright timeout
or crash becomes a typed error naming the screen and what was awaited. This is the one place
Playwright's TimeoutError is caught.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ClassVar
from urllib.parse import urljoin, urlparse

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page, Response
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from bot.errors import (
    BrowserCrashedError,
    PortalServerError,
    PortalTimeoutError,
    SessionExpiredError,
    UnexpectedScreenError,
    WriteUncertainError,
)
from bot.evidence.recorder import Recorder
from bot.pages.labels import Labels, labels_of_portal, language_of

# A page GET answered 5xx is asked again this many times before it counts as a system error.
GET_RETRIES = 2
# How a portal tells us the session is gone: it sends us to its login page.
LOGIN_PATH = re.compile(r"/login/?$")
LABELLED_VALUES = """definitions => definitions.map(value => {
    const ids = (value.getAttribute("aria-labelledby") || "").split(/\\s+/).filter(Boolean);
    const label = ids.map(id => document.getElementById(id)?.innerText ?? "").join(" ");
    return [label.replace(/\\s+/g, " ").trim(), value.innerText.trim()];
})"""
"""Each value the screen shows (role `definition`) with the label that names it (its
`aria-labelledby`, what `get_by_label` reads too), in one round trip."""
_CRASH_MARKERS = ("Target page, context or browser has been closed", "Browser closed", "crashed")


def action_name(verb: str, label: str) -> str:
    """How an action on a labelled widget is named in screenshots and waits: `fill-chassis-vin`."""
    return f"{verb}-{re.sub(r'[^a-z0-9]+', '-', label.lower()).strip('-')}"


class BasePage:
    """A screen of one portal; subclasses define locators in __init__ and intents as methods.

    Every label comes from `labels` (bot.pages.labels: the catalogue in the screen's language);
    without it, the language this portal was last seen in (Dutch before any login).
    """

    screen = "page"
    # Locators that may rightly be absent when `informex-bot check` looks (and why).
    OPTIONAL: ClassVar[dict[str, str]] = {}

    def __init__(
        self,
        page: Page,
        recorder: Recorder,
        portal_url: str,
        portal: str,
        labels: Labels | None = None,
    ) -> None:
        self.page = page
        self.recorder = recorder
        self.portal_url = portal_url
        self.portal = portal
        self.labels = labels or labels_of_portal(portal_url)

    def optional(self) -> dict[str, str]:
        """Locators that may rightly be absent now, and why (for `informex-bot check`)."""
        return dict(self.OPTIONAL)

    def screen_language(self) -> str | None:
        """The language the page shown now declares (`<html lang>`): `nl`, `fr`, or None when
        it declares none the catalogue has."""
        with self.awaiting("the page's language"):
            declared = self.page.evaluate("() => document.documentElement.lang")
        return language_of(declared if isinstance(declared, str) else None)

    def locators(self) -> dict[str, Locator]:
        """Every locator this page object defines, by attribute name (for `informex-bot check`)."""
        found: dict[str, Locator] = {}
        for name, value in vars(self).items():
            if isinstance(value, Locator):
                found[name] = value
            elif isinstance(value, dict):
                found.update(
                    {
                        f"{name}.{key}": item
                        for key, item in value.items()
                        if isinstance(item, Locator)
                    }
                )
        return found

    # -- helpers for subclasses ----------------------------------------------------------
    def url(self, path: str) -> str:
        return urljoin(self.portal_url, path.lstrip("/"))

    @contextmanager
    def awaiting(self, what: str) -> Iterator[None]:
        """Turn Playwright's timeouts and crashes into errors that say what we waited for."""
        try:
            yield
        except PlaywrightTimeoutError as exc:
            self._raise_if_logged_out()
            raise PortalTimeoutError(f"timed out waiting for {what}", screen=self.screen) from exc
        except PlaywrightError as exc:
            if any(marker in str(exc) for marker in _CRASH_MARKERS):
                raise BrowserCrashedError(
                    f"browser closed while waiting for {what}", screen=self.screen
                ) from exc
            raise PortalTimeoutError(
                f"browser error while waiting for {what}: {str(exc).splitlines()[0]}",
                screen=self.screen,
            ) from exc

    def is_login_page(self) -> bool:
        return bool(LOGIN_PATH.search(urlparse(self.page.url).path))

    def _raise_if_logged_out(self) -> None:
        if self.is_login_page():
            raise SessionExpiredError(
                f"{self.portal} sent us to its login page (session expired)",
                portal=self.portal,
                screen=self.screen,
            )

    def _check_response(self, response: Response | None, what: str) -> None:
        if response is not None and response.status >= 500:
            raise PortalServerError(
                f"{self.portal} answered {response.status} to {what}", screen=self.screen
            )
        self._raise_if_logged_out()

    # -- recorded actions ----------------------------------------------------------------
    def _goto(self, path: str, action: str = "navigate") -> int:
        """Open a page of this portal; return its HTTP status (404 is for the caller to judge)."""
        with self.awaiting(f"page {path}"):
            response = self.page.goto(self.url(path), wait_until="domcontentloaded")
            response = self._retry_server_errors(response)
        self.recorder.after(self.page, action)
        self._check_response(response, f"opening {path}")
        return response.status if response is not None else 200

    def _retry_server_errors(self, response: Response | None) -> Response | None:
        """A page GET that answered 5xx is simply asked again: reading twice harms nothing."""
        for _ in range(GET_RETRIES):
            if response is None or response.status < 500:
                break
            response = self.page.reload(wait_until="domcontentloaded")
        return response

    def _click(self, locator: Locator, action: str) -> None:
        with self.awaiting(action):
            locator.click()
        self.recorder.after(self.page, action)

    def _click_and_load(self, locator: Locator, action: str) -> None:
        """Click something that loads a new page (a link or a GET form) and wait for it."""
        with self.awaiting(action):
            with self.page.expect_navigation(wait_until="domcontentloaded") as navigation:
                locator.click()
            response = self._retry_server_errors(navigation.value)
        self.recorder.after(self.page, action)
        self._check_response(response, action)

    def _fill(self, locator: Locator, value: str, action: str) -> None:
        with self.awaiting(action):
            locator.fill(value)
        self.recorder.after(self.page, action)

    def _check(self, locator: Locator, checked: bool, action: str) -> None:
        with self.awaiting(action):
            locator.set_checked(checked)
        self.recorder.after(self.page, action)

    def _select(self, locator: Locator, value: str, action: str) -> None:
        with self.awaiting(action):
            locator.select_option(value)
        self.recorder.after(self.page, action)

    def _submit(
        self,
        locator: Locator,
        action: str,
        *,
        is_write: bool,
        matches: Callable[[str], bool],
        lands_on: Locator | None = None,
        landing: str | None = None,
    ) -> Response:
        """Click a button that POSTs a form; map a lost or failed answer to a typed error.

        For a write, a 5xx or a timeout means we do not know whether the portal wrote it:
        WriteUncertainError tells the step to read the portal's state before trying again.
        Every write names the screen it leads to (`lands_on`, described as `landing`, by default
        this page's screen): an answer showing anything else (a maintenance notice answered 200)
        is an UnexpectedScreenError at once, its screenshot named `…-unexpected-screen`, rather
        than a long wait for something that screen will never show.
        """
        try:
            with (
                self.page.expect_navigation(wait_until="domcontentloaded"),
                self.page.expect_response(
                    lambda r: r.request.method == "POST" and matches(r.url)
                ) as answer,
            ):
                locator.click()
            response = answer.value
        except PlaywrightTimeoutError as exc:
            self.recorder.after(self.page, action)
            if is_write:
                raise WriteUncertainError(
                    f"no answer from {self.portal} to {action}", screen=self.screen
                ) from exc
            raise PortalTimeoutError(f"no answer to {action}", screen=self.screen) from exc
        except PlaywrightError as exc:
            raise BrowserCrashedError(
                f"browser error during {action}: {str(exc).splitlines()[0]}", screen=self.screen
            ) from exc
        unexpected = (
            lands_on is not None
            and response.status < 500
            and not self.is_login_page()
            and not self._showing(lands_on, action)
        )
        self.recorder.after(self.page, f"{action}-unexpected-screen" if unexpected else action)
        if response.status >= 500:
            error = WriteUncertainError if is_write else PortalServerError
            raise error(f"{self.portal} answered {response.status} to {action}", screen=self.screen)
        self._raise_if_logged_out()
        if unexpected:
            raise UnexpectedScreenError(
                f"{self.portal} answered {action} with {self._what_is_shown()}, "
                f"not {landing or self.screen}",
                screen=self.screen,
            )
        return response

    def _showing(self, landmark: Locator, action: str) -> bool:
        """Whether the page loaded after `action` holds `landmark` (the document is loaded:
        this looks, it does not wait)."""
        with self.awaiting(f"the screen after {action}"):
            return landmark.count() > 0

    def _what_is_shown(self) -> str:
        """The page in a few words, for an error: `'Onderhoud' (title 'Onderhoud', /path)`."""
        with self.awaiting("the page's title and heading"):
            title = self.page.title().strip()
            headings = self.page.get_by_role("heading", level=1).all_inner_texts()
        heading = " / ".join(h.strip() for h in headings if h.strip()) or "no heading"
        return f"a page {heading!r} (title {title!r}, {urlparse(self.page.url).path})"

    # -- reading -------------------------------------------------------------------------
    def _labelled_values(self, what: str) -> dict[str, str]:
        """Every labelled value on the screen, label -> text, read in one call.

        Reading a screen of twenty values one locator at a time is twenty round trips through
        the driver and as many queries in the page; this is one. A label missing here is
        looked for with its own locator by the caller, which then fails naming that label.
        """
        with self.awaiting(what):
            pairs = self.page.get_by_role("definition").evaluate_all(LABELLED_VALUES)
        return {label: text for label, text in pairs if label}

    def _text(self, locator: Locator, what: str) -> str:
        with self.awaiting(what):
            return locator.inner_text().strip()

    def _text_if_present(self, locator: Locator) -> str | None:
        return locator.inner_text().strip() if locator.count() else None
