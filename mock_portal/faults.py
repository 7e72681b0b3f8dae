"""Fault injection: latency, 5xx answers, lost answers, expired sessions, popups, slow injection.

A bot that only ever met a perfect portal breaks on the first slow Monday. The knobs and profiles
are those of docs/mock-portal.md. Every random draw comes from one `random.Random(seed)`, and
only pages and form posts draw (never static files, photos or the injection status poll, whose
number depends on timing), so the same requests against the same seed meet the same faults.
`fail_next` gives tests deterministic one-shot faults without any randomness, and
`corrupt_saves` makes the next 2e circuit save store other values than were sent (a truncated
number, a dropped field) while it answers as if all went well.
"""

from __future__ import annotations

import asyncio
import copy
import dataclasses
import random
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mock_portal.i18n import message
from mock_portal.models import SecondCircuit

PROFILES: dict[str, dict[str, Any]] = {
    "none": {
        "seed": 0,
        "latency_ms": [0, 0],
        "latency_spike_rate": 0.0,
        "latency_spike_ms": 0,
        "error_rate_get": 0.0,
        "error_rate_save": 0.0,
        "lost_answer_rate": 0.0,
        "session_expiry_rate": 0.0,
        "popup_rate": 0.0,
        "injection_delay_s": [0.3, 0.8],
        "rename_labels": {},
    },
    "realistic": {
        "seed": 0,
        "latency_ms": [100, 400],
        "latency_spike_rate": 0.02,
        "latency_spike_ms": 1500,
        "error_rate_get": 0.01,
        "error_rate_save": 0.02,
        "lost_answer_rate": 0.0,
        "session_expiry_rate": 0.0,
        "popup_rate": 0.05,
        "injection_delay_s": [1, 3],
        "rename_labels": {},
    },
    "hostile": {
        "seed": 0,
        "latency_ms": [200, 1500],
        "latency_spike_rate": 0.1,
        "latency_spike_ms": 4000,
        "error_rate_get": 0.05,
        "error_rate_save": 0.2,
        "lost_answer_rate": 0.15,
        "session_expiry_rate": 0.03,
        "popup_rate": 0.2,
        "injection_delay_s": [3, 8],
        "rename_labels": {},
    },
}

FAIL_MODES = ("error", "lost_answer", "expire_session", "hang", "maintenance")
DEFAULT_HANG_S = 30.0
POPUP_KINDS = ("Nieuws", "Cookies")
_RATES = (
    "latency_spike_rate",
    "error_rate_get",
    "error_rate_save",
    "lost_answer_rate",
    "session_expiry_rate",
    "popup_rate",
)
_RANGES = ("latency_ms", "injection_delay_s")


_ONE_SHOT = ("fail_next", "corrupt_saves")
"""Settings that are queues of one-shot faults, not knobs of a profile."""
CORRUPT_MODES = ("truncate", "drop")
CORRUPTIBLE = tuple(f.name for f in dataclasses.fields(SecondCircuit) if f.name != "saves")
"""The 2e circuit fields a corrupt save can spoil (as /_mock/state names them)."""
TRUNCATABLE = (
    "assignment_number",
    "vin",
    "mileage_km",
    "power_kw",
    "displacement_cc",
    "co2",
    "engine_type",
)
"""The fields whose stored text can be cut short (the others are dates and flags)."""


class FaultConfigError(ValueError):
    """A fault setting that makes no sense (unknown knob, rate above 1, …)."""


@dataclass(frozen=True)
class FailNext:
    """One deterministic one-shot fault: fires on the first request that matches it."""

    mode: str
    method: str | None = None
    path_contains: str | None = None
    hang_s: float = DEFAULT_HANG_S
    skip: int = 0  # matching requests to let through before this one fires

    def matches(self, method: str, path: str) -> bool:
        if self.method and self.method.upper() != method.upper():
            return False
        return not self.path_contains or self.path_contains in path

    def as_dict(self) -> dict[str, Any]:
        result: dict[str, Any] = {"mode": self.mode}
        if self.method:
            result["method"] = self.method
        if self.path_contains:
            result["path_contains"] = self.path_contains
        if self.skip:
            result["skip"] = self.skip
        if self.mode == "hang":
            result["hang_s"] = self.hang_s
        return result


@dataclass(frozen=True)
class CorruptSave:
    """One value the next 2e circuit save stores wrongly: cut to its first `keep` characters
    (`truncate`), or not stored at all (`drop`: empty, or no for a checkbox)."""

    field: str
    mode: str
    keep: int = 0

    def spoil(self, circuit: SecondCircuit) -> SecondCircuit:
        value = getattr(circuit, self.field)
        if self.mode == "drop":
            spoilt: object = False if isinstance(value, bool) else None
        elif value is None:
            spoilt = None
        else:
            text = str(value)[: self.keep]
            spoilt = (int(text) if isinstance(value, int) else text) if text else None
        return replace(circuit, **{self.field: spoilt})

    def as_dict(self) -> dict[str, Any]:
        result: dict[str, Any] = {"field": self.field, "mode": self.mode}
        if self.mode == "truncate":
            result["keep"] = self.keep
        return result


class Faults:
    """The current fault settings of one portal, and the seeded random draws made from them."""

    def __init__(self, profile: str = "none") -> None:
        if profile not in PROFILES:
            raise FaultConfigError(f"unknown fault profile {profile!r} (none, realistic, hostile)")
        self.profile = profile
        self.knobs: dict[str, Any] = copy.deepcopy(PROFILES[profile])
        self.fail_next: list[FailNext] = []
        self.corrupt_saves: list[CorruptSave] = []
        self.rng = random.Random(self.knobs["seed"])

    # -- configuration ---------------------------------------------------------------------
    def configure(self, body: Any) -> None:
        """Apply a `PUT /_mock/faults` body: a profile first (all knobs), then single knobs.

        Validates everything before changing anything, so a bad request leaves the settings
        as they were.
        """
        if not isinstance(body, dict):
            raise FaultConfigError("expected a JSON object of fault settings")
        unknown = sorted(set(body) - set(PROFILES["none"]) - {"profile", *_ONE_SHOT})
        if unknown:
            raise FaultConfigError(f"unknown fault setting(s): {', '.join(unknown)}")
        profile = body.get("profile", None)
        if profile is not None and profile not in PROFILES:
            raise FaultConfigError(f"unknown fault profile {profile!r} (none, realistic, hostile)")
        knobs = copy.deepcopy(PROFILES[profile]) if profile else copy.deepcopy(self.knobs)
        for key, value in body.items():
            if key == "profile" or key in _ONE_SHOT:
                continue
            knobs[key] = _validated(key, value)
        fail_next = (
            [_fail_entry(entry, i) for i, entry in enumerate(_as_list(body["fail_next"]))]
            if "fail_next" in body
            else ([] if profile else list(self.fail_next))
        )
        corrupt_saves = (
            [
                _corrupt_entry(entry, i)
                for i, entry in enumerate(_as_list(body["corrupt_saves"], "corrupt_saves"))
            ]
            if "corrupt_saves" in body
            else ([] if profile else list(self.corrupt_saves))
        )
        if profile:
            self.profile = profile
        self.knobs = knobs
        self.fail_next = fail_next
        self.corrupt_saves = corrupt_saves
        if profile or "seed" in body:
            self.rng = random.Random(knobs["seed"])

    def as_dict(self) -> dict[str, Any]:
        return {
            "profile": self.profile,
            **copy.deepcopy(self.knobs),
            "fail_next": [entry.as_dict() for entry in self.fail_next],
            "corrupt_saves": [entry.as_dict() for entry in self.corrupt_saves],
        }

    # -- draws -------------------------------------------------------------------------------
    def chance(self, knob: str) -> bool:
        """True with the knob's probability (no draw at all when the rate is 0)."""
        rate = float(self.knobs[knob])
        return rate > 0 and self.rng.random() < rate

    def latency_s(self) -> float:
        """The delay for this request: the latency range plus, sometimes, a spike."""
        low, high = self.knobs["latency_ms"]
        delay = self.rng.uniform(low, high) if high > 0 else 0.0
        if self.chance("latency_spike_rate"):
            delay += float(self.knobs["latency_spike_ms"])
        return delay / 1000.0

    def injection_delay_s(self) -> float:
        low, high = self.knobs["injection_delay_s"]
        return self.rng.uniform(low, high) if high > 0 else 0.0

    def popup(self, closed: set[str]) -> str | None:
        """Which popup (if any) this page shows: Nieuws or Cookies, never one already closed."""
        if not self.chance("popup_rate"):
            return None
        kinds = [kind for kind in POPUP_KINDS if kind not in closed]
        return self.rng.choice(kinds) if kinds else None

    def take_fail_next(self, method: str, path: str) -> FailNext | None:
        """The first one-shot fault matching this request, removed from the queue.

        An entry still skipping lets this request through (counting it) and is not fired.
        """
        for i, entry in enumerate(self.fail_next):
            if entry.matches(method, path):
                if entry.skip:
                    self.fail_next[i] = replace(entry, skip=entry.skip - 1)
                    return None
                return self.fail_next.pop(i)
        return None

    def spoil_save(self, circuit: SecondCircuit) -> SecondCircuit:
        """The 2e circuit this save stores: as sent, or spoilt by every `corrupt_saves` entry,
        which are used up by this one save."""
        entries, self.corrupt_saves = self.corrupt_saves, []
        for entry in entries:
            circuit = entry.spoil(circuit)
        return circuit

    def label(self, text: str) -> str:
        """A label as shown on screen, after `rename_labels`."""
        renamed = self.knobs["rename_labels"].get(text, text)
        return renamed if isinstance(renamed, str) else text


def _as_list(value: Any, key: str = "fail_next") -> list[Any]:
    if not isinstance(value, list):
        shape = "{method, path_contains, mode}" if key == "fail_next" else "{field, mode, keep}"
        raise FaultConfigError(f"{key}: expected a list of {shape}")
    return value


def _number(key: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise FaultConfigError(f"{key}: expected a number of 0 or more, got {value!r}")
    return value


def _validated(key: str, value: Any) -> Any:
    if key == "seed":
        if isinstance(value, bool) or not isinstance(value, int):
            raise FaultConfigError(f"seed: expected a whole number, got {value!r}")
        return value
    if key in _RATES:
        rate = _number(key, value)
        if rate > 1:
            raise FaultConfigError(f"{key}: expected a chance between 0 and 1, got {value!r}")
        return rate
    if key in _RANGES:
        if not isinstance(value, list) or len(value) != 2:
            raise FaultConfigError(f"{key}: expected [min, max], got {value!r}")
        low, high = (_number(key, v) for v in value)
        if low > high:
            raise FaultConfigError(f"{key}: min {low} is above max {high}")
        return [low, high]
    if key == "latency_spike_ms":
        return _number(key, value)
    if key == "rename_labels":
        if not isinstance(value, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in value.items()
        ):
            raise FaultConfigError('rename_labels: expected {"old label": "new label"}')
        return dict(value)
    raise FaultConfigError(f"unknown fault setting: {key}")  # pragma: no cover


def _fail_entry(entry: Any, index: int) -> FailNext:
    where = f"fail_next[{index}]"
    if not isinstance(entry, dict):
        raise FaultConfigError(f"{where}: expected an object")
    unknown = sorted(set(entry) - {"mode", "method", "path_contains", "hang_s", "skip"})
    if unknown:
        raise FaultConfigError(f"{where}: unknown key(s): {', '.join(unknown)}")
    mode = entry.get("mode")
    if mode not in FAIL_MODES:
        raise FaultConfigError(f"{where}.mode: expected one of {', '.join(FAIL_MODES)}")
    for key in ("method", "path_contains"):
        if entry.get(key) is not None and not isinstance(entry[key], str):
            raise FaultConfigError(f"{where}.{key}: expected text")
    hang_s = _number(f"{where}.hang_s", entry.get("hang_s", DEFAULT_HANG_S))
    skip = entry.get("skip", 0)
    if isinstance(skip, bool) or not isinstance(skip, int) or skip < 0:
        raise FaultConfigError(f"{where}.skip: expected a whole number of 0 or more, got {skip!r}")
    return FailNext(mode, entry.get("method"), entry.get("path_contains"), float(hang_s), skip)


def _corrupt_entry(entry: Any, index: int) -> CorruptSave:
    where = f"corrupt_saves[{index}]"
    if not isinstance(entry, dict):
        raise FaultConfigError(f"{where}: expected an object")
    unknown = sorted(set(entry) - {"field", "mode", "keep"})
    if unknown:
        raise FaultConfigError(f"{where}: unknown key(s): {', '.join(unknown)}")
    field, mode = entry.get("field"), entry.get("mode")
    if field not in CORRUPTIBLE:
        raise FaultConfigError(f"{where}.field: expected one of {', '.join(CORRUPTIBLE)}")
    if mode not in CORRUPT_MODES:
        raise FaultConfigError(f"{where}.mode: expected one of {', '.join(CORRUPT_MODES)}")
    if mode == "truncate" and field not in TRUNCATABLE:
        raise FaultConfigError(
            f"{where}: {field} cannot be truncated (only {', '.join(TRUNCATABLE)})"
        )
    keep = entry.get("keep", 0)
    if isinstance(keep, bool) or not isinstance(keep, int) or keep < 0:
        raise FaultConfigError(f"{where}.keep: expected a whole number of 0 or more, got {keep!r}")
    return CorruptSave(field, mode, keep)


# -- the middleware ----------------------------------------------------------------------------

PORTAL_PREFIXES = ("/planmanager", "/winformex")


def portal_of(path: str) -> str | None:
    """`planmanager` or `winformex` for a path of that portal, else None."""
    for prefix in PORTAL_PREFIXES:
        if path == prefix or path.startswith(prefix + "/"):
            return prefix[1:]
    return None


def classify(method: str, path: str) -> str | None:
    """What kind of request this is for fault purposes.

    `page` (an HTML GET), `write` (a POST that changes data), `post` (login/logout),
    `resource` (photos, status poll, popup closing: no random draws), or None (not a portal
    request: static files, `/_mock/`, the landing page).
    """
    if portal_of(path) is None:
        return None
    if path.endswith("/popup"):
        return "resource"
    if method in ("GET", "HEAD"):
        if "/photos/" in path or "/fotos/" in path or path.endswith("/informex-status"):
            return "resource"
        return "page"
    if path.endswith(("/login", "/logout")):
        return "post"
    return "write"


PROXY_PAGES = {
    502: "502 Bad Gateway",
    503: "503 Service Temporarily Unavailable",
}


def proxy_page(status: int) -> bytes:
    """What the reverse proxy in front of a real portal answers when the backend fails."""
    title = PROXY_PAGES[status]
    return (
        f"<!DOCTYPE html>\n<html><head><title>{title}</title></head>\n<body>\n"
        f"<center><h1>{title}</h1></center>\n<hr><center>nginx</center>\n</body></html>\n"
    ).encode()


PORTAL_NAMES = {"planmanager": "PlanManager", "winformex": "Winformex"}


def maintenance_page(portal: str | None, lang: str = "nl") -> bytes:
    """What a portal under maintenance answers to anything, with status 200: a notice, not the
    screen that was asked for (nothing is done); in the language of the user's session."""
    name = PORTAL_NAMES.get(portal or "") or message("maintenance.the_portal", lang)
    title = message("maintenance.title", lang)
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}"><head><title>{title}</title></head>\n<body>\n'
        f"<h1>{title}</h1>\n<p>{message('maintenance.text', lang, portal=name)}</p>\n"
        "</body></html>\n"
    ).encode()


class FaultMiddleware:
    """Applies the fault knobs to every portal request, before and after the real handler.

    Faults that must leave nothing written (`error`, `expire_session`, `maintenance`) act
    before the handler runs; `lost_answer` lets the handler commit and throws its answer away;
    `hang` holds the answer with `asyncio.sleep`, so other requests are served meanwhile.
    """

    def __init__(
        self,
        app: ASGIApp,
        faults: Faults,
        expire_session: Callable[[str, str], None],
        error_page: Callable[[str], bytes],
        language: Callable[[Scope], str] | None = None,
    ) -> None:
        self.app = app
        self.faults = faults
        self.expire_session = expire_session
        self.error_page = error_page  # the portal's 500 page in a language
        self.language = language  # the language of a request's page (its session's)

    def _lang(self, scope: Scope) -> str:
        return self.language(scope) if self.language is not None else "nl"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        method: str = scope["method"]
        path: str = scope["path"]
        kind = classify(method, path)
        if kind is None:
            await self.app(scope, receive, send)
            return
        faults = self.faults
        entry = faults.take_fail_next(method, path)
        lost = False
        if kind != "resource":
            delay = faults.latency_s()
            if delay > 0:
                await asyncio.sleep(delay)
            if kind != "post" and faults.chance("session_expiry_rate"):
                self._expire(scope)
            if kind == "page" and faults.chance("error_rate_get"):
                await _send_html(send, 503, proxy_page(503))
                return
            if kind == "write":
                if faults.chance("error_rate_save"):
                    await _send_html(send, 500, self.error_page(self._lang(scope)))
                    return
                lost = faults.chance("lost_answer_rate")
        mode = entry.mode if entry else None
        if mode == "expire_session":
            self._expire(scope)
        elif mode == "error":
            await _send_html(send, 500, self.error_page(self._lang(scope)))
            return
        elif mode == "maintenance":
            await _send_html(send, 200, maintenance_page(portal_of(path), self._lang(scope)))
            return
        if lost or mode == "lost_answer":
            await self.app(scope, receive, _discard)
            await _send_html(send, 502, proxy_page(502))
            return
        if mode == "hang" and entry is not None:
            held: list[Message] = []

            async def hold(message: Message) -> None:
                held.append(message)

            await self.app(scope, receive, hold)
            await asyncio.sleep(entry.hang_s)
            for message in held:
                await send(message)
            return
        await self.app(scope, receive, send)

    def _expire(self, scope: Scope) -> None:
        portal = portal_of(scope["path"])
        if portal is None:
            return
        name = "pm_session" if portal == "planmanager" else "wx_session"
        token = Request(scope).cookies.get(name)
        if token:
            self.expire_session(portal, token)


async def _discard(message: Message) -> None:
    """A `send` that drops the handler's answer (the answer that got lost)."""


async def _send_html(send: Send, status: int, body: bytes) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"text/html; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
                (b"cache-control", b"no-store"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
