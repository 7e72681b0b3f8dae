"""Helpers for the mock portal's HTTP tests: a fake clock, a logged-in client, an HTML reader.

The HTML reader finds things the way the bot's page objects do (by label, by role, by table
caption), so these tests check the accessibility contract of docs/mock-portal.md and not just
that some text appears somewhere.
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

with warnings.catch_warnings():
    # Starlette 1.x suggests httpx2 for its TestClient; httpx is what the project installs.
    warnings.filterwarnings("ignore", message=r".*httpx2.*")
    from starlette.testclient import TestClient

import httpx
from starlette.applications import Starlette

from mock_portal.web import PortalContext

USERS = {
    "planmanager": ("werkplaats", "pm-geheim-1"),
    "winformex": ("hersteller", "wx-geheim-1"),
}
USERS_FR = {  # the small seed's French-speaking users (language "fr")
    "planmanager": ("atelier", "pm-secret-fr-1"),
    "winformex": ("reparateur", "wx-secret-fr-1"),
}
START = dt.datetime(2026, 11, 29, 10, 0, 0).timestamp()
LOCAL_URL = "http://127.0.0.1"


class FakeClock:
    """The portal's clock, moved by the test: sessions expire and jobs finish without waiting."""

    def __init__(self, now: float = START) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


# -- a small DOM ---------------------------------------------------------------------------------
_VOID = {"input", "br", "img", "meta", "link", "hr", "col", "area", "base", "source", "wbr"}


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    parent: Node | None = None
    children: list[Node | str] = field(default_factory=list)

    def text(self) -> str:
        parts: list[str] = []
        for child in self.children:
            parts.append(child if isinstance(child, str) else child.text())
        return re.sub(r"\s+", " ", "".join(parts)).strip()

    def walk(self) -> list[Node]:
        nodes: list[Node] = []
        for child in self.children:
            if isinstance(child, Node):
                nodes.append(child)
                nodes.extend(child.walk())
        return nodes

    def find_all(self, tag: str | None = None, **attrs: str) -> list[Node]:
        return [
            n
            for n in self.walk()
            if (tag is None or n.tag == tag)
            and all(n.attrs.get(k.rstrip("_").replace("_", "-")) == v for k, v in attrs.items())
        ]

    def ancestors(self) -> list[Node]:
        result: list[Node] = []
        node = self.parent
        while node is not None:
            result.append(node)
            node = node.parent
        return result


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.current = self.root

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: (v if v is not None else "") for k, v in attrs}, self.current)
        self.current.children.append(node)
        if tag not in _VOID:
            self.current = node

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.current.children.append(
            Node(tag, {k: (v if v is not None else "") for k, v in attrs}, self.current)
        )

    def handle_endtag(self, tag: str) -> None:
        node: Node | None = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data: str) -> None:
        self.current.children.append(data)


class Html:
    """A parsed page, read by accessible names."""

    def __init__(self, text: str) -> None:
        builder = _TreeBuilder()
        builder.feed(text)
        self.root = builder.root
        self.source = text
        self.by_id = {n.attrs["id"]: n for n in self.root.walk() if "id" in n.attrs}

    @property
    def title(self) -> str:
        titles = self.root.find_all("title")
        return titles[0].text() if titles else ""

    def headings(self, level: int | None = None) -> list[str]:
        tags = {f"h{level}"} if level else {f"h{i}" for i in range(1, 7)}
        return [n.text() for n in self.root.walk() if n.tag in tags]

    def role(self, role: str) -> list[Node]:
        implicit = {"dialog": {"dialog"}, "navigation": {"nav"}, "group": {"fieldset"}}
        return [
            n
            for n in self.root.walk()
            if n.attrs.get("role") == role or n.tag in implicit.get(role, set())
        ]

    def role_texts(self, role: str) -> list[str]:
        return [n.text() for n in self.role(role)]

    def alert(self) -> str:
        texts = self.role_texts("alert")
        return " ".join(texts)

    def status(self) -> str:
        return " ".join(self.role_texts("status"))

    def label_texts(self) -> list[str]:
        """Every `<label>` text and every `<dt>` (the labels of label/value pairs)."""
        return [n.text() for n in self.root.walk() if n.tag in ("label", "dt")]

    def labelled(self, label: str) -> list[Node]:
        """Elements named exactly `label` by a `<label for>`, aria-labelledby or aria-label."""
        found: list[Node] = []
        for node in self.root.walk():
            if node.tag == "label" and node.text() == label and node.attrs.get("for"):
                target = self.by_id.get(node.attrs["for"])
                if target is not None:
                    found.append(target)
            labelledby = node.attrs.get("aria-labelledby")
            if (
                labelledby
                and " ".join(self.by_id[i].text() for i in labelledby.split() if i in self.by_id)
                == label
            ):
                found.append(node)
            if node.attrs.get("aria-label") == label:
                found.append(node)
        return found

    def the(self, label: str) -> Node:
        """The one element labelled `label` (fails like Playwright's strict mode otherwise)."""
        found = self.labelled(label)
        assert len(found) == 1, f"{len(found)} elements labelled {label!r}"
        return found[0]

    def value(self, label: str) -> str:
        """The text of a label/value pair's value, found by its label."""
        return self.the(label).text()

    def field(self, label: str) -> dict[str, str]:
        return self.the(label).attrs

    def buttons(self) -> list[str]:
        names = []
        for n in self.root.walk():
            if n.tag == "button" or n.attrs.get("role") == "button":
                names.append(n.attrs.get("aria-label") or n.text())
        return names

    def links(self) -> dict[str, str]:
        return {n.text(): n.attrs.get("href", "") for n in self.root.find_all("a")}

    def table(self, caption: str) -> list[dict[str, str]]:
        """Rows of the table with this caption as {header: cell text}."""
        for table in self.root.find_all("table"):
            captions = table.find_all("caption")
            if captions and captions[0].text() == caption:
                headers = [th.text() for th in table.find_all("th")]
                rows = []
                for tr in table.find_all("tr"):
                    cells = tr.find_all("td")
                    if cells:
                        rows.append({h: c.text() for h, c in zip(headers, cells, strict=True)})
                return rows
        raise AssertionError(f"no table with caption {caption!r}")

    def table_headers(self, caption: str) -> list[str]:
        for table in self.root.find_all("table"):
            captions = table.find_all("caption")
            if captions and captions[0].text() == caption:
                return [th.text() for th in table.find_all("th")]
        raise AssertionError(f"no table with caption {caption!r}")

    def csrf(self) -> str:
        match = re.search(r'name="csrf_token" value="([^"]+)"', self.source)
        assert match, "no csrf_token on this page"
        return match[1]


# -- a client that logs in like a person -------------------------------------------------------
def log_in_form(
    http: httpx.Client,
    portal: str,
    username: str | None = None,
    password: str | None = None,
    next_path: str = "",
) -> httpx.Response:
    """Open the login page and post its form (the seed's user unless told otherwise)."""
    default_user, default_password = USERS[portal]
    form = Html(http.get(f"/{portal}/login").text)
    return http.post(
        f"/{portal}/login",
        data={
            "username": default_user if username is None else username,
            "password": default_password if password is None else password,
            "csrf_token": form.csrf(),
            "next": next_path,
        },
    )


class Client:
    """A TestClient with a cookie jar, that logs in and posts forms with their CSRF token."""

    def __init__(self, app: Starlette) -> None:
        # The address a local server answers on: the control API refuses any other Host.
        self.http = TestClient(app, base_url=LOCAL_URL, follow_redirects=False)
        self.app = app
        self.tokens: dict[str, str] = {}

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.http.get(path, **kwargs)

    def page(self, path: str) -> Html:
        response = self.http.get(path)
        assert response.status_code == 200, (path, response.status_code, response.text[:300])
        return Html(response.text)

    def login(
        self,
        portal: str,
        username: str | None = None,
        password: str | None = None,
        next_path: str = "",
    ) -> httpx.Response:
        """Log in through the form; on success remember the session's CSRF token."""
        response = log_in_form(self.http, portal, username, password, next_path)
        if response.status_code == 303:
            landing = self.http.get(response.headers["location"], follow_redirects=True)
            token = re.search(r'name="csrf_token" value="([^"]+)"', landing.text)
            if token:  # a faulty portal may answer the landing page with an error page
                self.tokens[portal] = token[1]
        return response

    def post_form(
        self, path: str, data: dict[str, Any] | None = None, **kwargs: Any
    ) -> httpx.Response:
        """POST like a browser submitting a form: with the session's CSRF token."""
        portal = path.split("/")[1]
        return self.http.post(
            path, data={**(data or {}), "csrf_token": self.tokens.get(portal, "")}, **kwargs
        )

    def follow(self, response: httpx.Response) -> Html:
        assert response.status_code == 303, (response.status_code, response.text[:300])
        return self.page(response.headers["location"])


def ctx_of(app: Starlette) -> PortalContext:
    ctx: PortalContext = app.state.portal
    return ctx


def good_form(**changes: Any) -> dict[str, Any]:
    """A valid PlanManager dossier form; `changes` override fields (None leaves one out)."""
    form: dict[str, Any] = {
        "number": "PM-2026-0200",
        "customer_name": "Luc D'Hondt",
        "customer_phone": "050/33.44.55",
        "plate": "1-DEF-567",
        "vin": "TMBJJ7NE5K0123456",
        "make": "Škoda",
        "model": "Octavia",
        "first_registration": "02/05/2018",
        "mileage_km": "120400",
        "power_kw": "110",
        "displacement_cc": "1968",
        "co2": "119",
        "engine_type": "diesel",
        "particle_filter": "1",
        "insurer": "Ethias",
        "claim_number": "ETH-558812",
        "damage_date": "15/11/2026",
        "burglary": "1",
    }
    form.update(changes)
    return {k: v for k, v in form.items() if v is not None}
