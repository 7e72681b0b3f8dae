"""A kept trace holds no credential, and the log none either: cookies, authorization headers and
CSRF tokens are blanked wherever a trace or a log line would hold them, the rest stays readable."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from urllib.parse import quote_plus

import pytest

from bot.evidence import logging_setup
from bot.evidence.logging_setup import REDACTED, Redactor, redact_also
from bot.evidence.recorder import redact_trace

SESSION = "ILcXprac82m_C800nEcEYdk9SFK8eOIibNGQmhsDQFQ"
LOGIN_CSRF = "vGx_04EvtFaKlZqnh7c1myH-mh263RDmkqHG7DUUMVE"
CSRF = "cFfytJv5VS3P1jch24v4Yp_An1iZ5JruPWG6eX83Lr8"
BEARER = "eyJhbGciOiJIUzI1NiJ9.e30.ZRrHA1JJJW8opsbCGfG_HACGpVUMN_a9IV7pAx_Zmeo"
META_TOKEN = "meta-token-0123456789abcdef"
VIN = "WVWZZZ1KZ8W123456"
SECRETS = (SESSION, LOGIN_CSRF, CSRF, BEARER, META_TOKEN)


def network_entry(request: dict[str, object], response: dict[str, object]) -> str:
    base_request = {"method": "GET", "url": "http://portal/", "cookies": [], "headers": []}
    base_response = {"status": 200, "cookies": [], "headers": [], "content": {}}
    snapshot = {"request": {**base_request, **request}, "response": {**base_response, **response}}
    return json.dumps({"type": "resource-snapshot", "snapshot": snapshot})


def write_trace(path: Path) -> Path:
    """A trace as Playwright writes one: network entries, DOM snapshots, saved pages, a post."""
    cookie_header = f"pm_login_csrf={LOGIN_CSRF}; pm_session={SESSION}"
    network = [
        network_entry(
            {
                "url": f"http://portal/planmanager/dossiers?q={VIN}",
                "cookies": [
                    {"name": "pm_login_csrf", "value": LOGIN_CSRF},
                    {"name": "pm_session", "value": SESSION},
                ],
                "headers": [
                    {"name": "Cookie", "value": cookie_header},
                    {"name": "Authorization", "value": f"Bearer {BEARER}"},
                    {"name": "Accept-Language", "value": "nl-BE"},
                ],
                "queryString": [{"name": "q", "value": VIN}],
            },
            {
                "headers": [{"name": "set-cookie", "value": f"pm_session={SESSION}; Path=/"}],
                "cookies": [{"name": "pm_session", "value": SESSION}],
            },
        ),
        network_entry(
            {
                "method": "POST",
                "url": "http://portal/winformex/dossiers/WX-1/2e-circuit",
                "postData": {
                    "mimeType": "application/x-www-form-urlencoded",
                    "text": f"csrf_token={CSRF}&vin={VIN}",
                    "params": [
                        {"name": "csrf_token", "value": CSRF},
                        {"name": "vin", "value": VIN},
                    ],
                    "_file": "resources/post.dat",
                },
            },
            {},
        ),
    ]
    html = [
        "HTML",
        {"lang": "nl"},
        ["HEAD", {}, ["META", {"name": "csrf-token", "content": META_TOKEN}]],
        [
            "BODY",
            {"data-csrf": CSRF},
            [[4, 12]],
            [
                "FORM",
                {"method": "post"},
                ["INPUT", {"type": "hidden", "name": "csrf_token", "value": CSRF}],
                ["INPUT", {"name": "vin", "value": VIN, "__playwright_value_": VIN}],
            ],
        ],
    ]
    trace = [
        json.dumps({"type": "context-options", "title": "PM-2026-0101 attempt 1"}),
        json.dumps({"type": "frame-snapshot", "snapshot": {"html": html}}),
        json.dumps({"type": "log", "message": f"navigated to /winformex/?vin={VIN}"}),
    ]
    page = (
        f'<html><head><meta name="csrf-token" content="{META_TOKEN}"></head>'
        f'<body data-csrf="{CSRF}"><form><input type="hidden" name="csrf_token" value="{CSRF}">'
        f'<input name="vin" value="{VIN}"></form></body></html>'
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("trace.trace", "\n".join(trace) + "\n")
        archive.writestr("trace.network", "\n".join(network) + "\n")
        archive.writestr("resources/page.html", page)
        archive.writestr("resources/post.dat", f"csrf_token={quote_plus(CSRF)}&vin={VIN}")
        archive.writestr("resources/photo.jpg", b"\xff\xd8\xff" + bytes(range(256)))
    return path


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_no_cookie_authorization_or_csrf_token_is_left_in_any_member(tmp_path: Path) -> None:
    raw = write_trace(tmp_path / "raw.zip")

    removed = redact_trace(raw, tmp_path / "trace.zip")

    kept = members(tmp_path / "trace.zip")
    leaks = [(name, s) for name, data in kept.items() for s in SECRETS if s.encode() in data]
    assert leaks == []
    assert removed >= len(SECRETS)
    assert list(kept) == list(members(raw))  # the same members, in the same order
    assert kept["resources/photo.jpg"] == members(raw)["resources/photo.jpg"]


def test_the_redacted_trace_keeps_what_a_failure_is_read_for(tmp_path: Path) -> None:
    redact_trace(write_trace(tmp_path / "raw.zip"), tmp_path / "trace.zip")

    kept = members(tmp_path / "trace.zip")
    entries = [json.loads(line) for line in kept["trace.network"].decode().splitlines()]
    request = entries[0]["snapshot"]["request"]
    headers = {h["name"]: h["value"] for h in request["headers"]}
    assert headers == {
        "Cookie": "[redacted]",
        "Authorization": "[redacted]",
        "Accept-Language": "nl-BE",
    }
    assert [c["value"] for c in request["cookies"]] == ["[redacted]", "[redacted]"]
    post = entries[1]["snapshot"]["request"]["postData"]["params"]
    assert post == [{"name": "csrf_token", "value": "[redacted]"}, {"name": "vin", "value": VIN}]
    for line in kept["trace.trace"].decode().splitlines():
        json.loads(line)  # every line still JSON: the trace viewer reads them
    assert VIN.encode() in kept["trace.trace"] and VIN.encode() in kept["resources/page.html"]
    assert kept["resources/post.dat"] == f"csrf_token=[redacted]&vin={VIN}".encode()


def test_a_trace_that_cannot_be_read_leaves_no_file(tmp_path: Path) -> None:
    raw = tmp_path / "raw.zip"
    raw.write_bytes(b"PK\x03\x04 not a zip")

    with pytest.raises(zipfile.BadZipFile):
        redact_trace(raw, tmp_path / "trace.zip")

    assert list(tmp_path.iterdir()) == [raw]


@pytest.mark.parametrize(
    "message",
    [
        f"request headers: Cookie: pm_session={SESSION}",
        f"set-cookie: pm_session={SESSION}; Path=/planmanager",
        f"Authorization: Bearer {BEARER}",
        f"posted csrf_token={CSRF}&vin={VIN}",
        f"{{'csrf_token': '{CSRF}'}}",
    ],
)
def test_a_log_line_loses_credentials_it_shows_by_name(message: str) -> None:
    scrubbed = Redactor().scrub(message)

    assert not any(s in scrubbed for s in SECRETS)
    assert REDACTED in scrubbed


def test_ordinary_log_lines_are_left_alone() -> None:
    lines = [
        "session expired; logging in again",
        "the winformex session had ended already",
        f"2e circuit linked to IX-2026-004711, VIN {VIN}",
        'dialog "Cookies" closed',
    ]

    assert [Redactor().scrub(line) for line in lines] == lines


def test_session_cookies_the_run_gets_are_redacted_from_later_lines(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    redactor = Redactor(["demo-planmanager"])
    monkeypatch.setattr(logging_setup, "_active", redactor)

    redact_also([SESSION, "nl"])  # a short cookie (a language) is no credential

    assert redactor.scrub(f"opened with {SESSION} in nl") == f"opened with {REDACTED} in nl"
    assert redactor.scrub("password demo-planmanager") == f"password {REDACTED}"
