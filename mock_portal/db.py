"""The portal's state in SQLite: users, sessions, both portals' dossiers, injection jobs.

One connection (in memory by default, or a file with `--db FILE`) guarded by a lock, because
the server's handlers and a test's direct reads may come from different threads. Every write is
one transaction, so a fault that stops a request before the handler leaves nothing half-written.
Injection jobs are rows with a due time; `complete_due_injections` turns due jobs into Informex
dossiers and is called at the start of every request, so no background thread is needed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mock_portal.models import (
    Assignment,
    PmDossier,
    SecondCircuit,
    Seed,
    User,
    WxDossier,
)
from mock_portal.security import hash_password, new_token, verify_password

SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    portal TEXT NOT NULL, username TEXT NOT NULL, name TEXT NOT NULL,
    password_hash TEXT NOT NULL, language TEXT NOT NULL DEFAULT 'nl',
    PRIMARY KEY (portal, username));
CREATE TABLE IF NOT EXISTS sessions (
    token TEXT PRIMARY KEY, portal TEXT NOT NULL, username TEXT NOT NULL,
    csrf_token TEXT NOT NULL, expires_at REAL NOT NULL, popups_closed TEXT NOT NULL DEFAULT '');
CREATE TABLE IF NOT EXISTS pm_dossiers (
    number TEXT PRIMARY KEY, title TEXT, status TEXT, customer_name TEXT, customer_phone TEXT,
    plate TEXT, vin TEXT, make TEXT, model TEXT, first_registration TEXT, mileage_km INTEGER,
    power_kw INTEGER, displacement_cc INTEGER, co2 INTEGER, engine_type TEXT,
    particle_filter INTEGER, insurer TEXT, claim_number TEXT, damage_date TEXT,
    previous_damage INTEGER, burglary INTEGER, informex_dossier TEXT,
    injections INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS pm_photos (
    dossier TEXT NOT NULL, position INTEGER NOT NULL, file TEXT NOT NULL,
    PRIMARY KEY (dossier, position));
CREATE TABLE IF NOT EXISTS assignments (
    number TEXT PRIMARY KEY, position INTEGER NOT NULL, insurer TEXT, claim_number TEXT,
    plate TEXT, vin TEXT, date TEXT);
CREATE TABLE IF NOT EXISTS wx_dossiers (
    number TEXT PRIMARY KEY, planmanager_dossier TEXT, plate TEXT, vin TEXT,
    created_at TEXT NOT NULL, sc_assignment_number TEXT, sc_vin TEXT,
    sc_first_registration TEXT, sc_previous_damage INTEGER NOT NULL DEFAULT 0,
    sc_burglary INTEGER NOT NULL DEFAULT 0, sc_mileage_km INTEGER,
    sc_mileage_unknown INTEGER NOT NULL DEFAULT 0, sc_power_kw INTEGER,
    sc_displacement_cc INTEGER, sc_co2 INTEGER, sc_engine_type TEXT,
    sc_particle_filter INTEGER NOT NULL DEFAULT 0, sc_saves INTEGER NOT NULL DEFAULT 0,
    sc_link_seq INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS wx_photos (
    dossier TEXT NOT NULL, position INTEGER NOT NULL, file TEXT NOT NULL,
    PRIMARY KEY (dossier, position));
CREATE TABLE IF NOT EXISTS injection_jobs (
    id INTEGER PRIMARY KEY AUTOINCREMENT, pm_dossier TEXT NOT NULL, due_at REAL NOT NULL,
    wx_dossier TEXT);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
"""
_TABLES = (
    "users",
    "sessions",
    "pm_dossiers",
    "pm_photos",
    "assignments",
    "wx_dossiers",
    "wx_photos",
    "injection_jobs",
    "meta",
)

_PM_COLUMNS = tuple(f.name for f in dataclasses.fields(PmDossier) if f.name != "photos")
_SC_COLUMNS = tuple(f.name for f in dataclasses.fields(SecondCircuit))
_SC_DB_COLUMNS = tuple(f"sc_{c}" for c in _SC_COLUMNS)
_DATES = {"first_registration", "damage_date", "date"}
_PM_BOOLS = {"particle_filter", "previous_damage", "burglary"}
_SC_BOOLS = {"previous_damage", "burglary", "mileage_unknown", "particle_filter"}
_WX_NUMBER = re.compile(r"^WX-(\d{4})-(\d{6})$")


def normalize(text: str | None) -> str:
    """Plates and numbers compared as shops type them: no spaces, dashes, dots or slashes,
    upper case (`31.447.902` finds `31447902`, `eth 2026 55817` finds `ETH/2026/55817`)."""
    return re.sub(r"[\s\-./]", "", text or "").upper()


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _bool(value: int | None) -> bool | None:
    return None if value is None else bool(value)


def timestamp_text(now: float) -> str:
    """A moment as shown in `/_mock/state` (`created_at`): local ISO time to the second."""
    return dt.datetime.fromtimestamp(now).isoformat(timespec="seconds")


@dataclass
class Session:
    """A logged-in user of one portal."""

    token: str
    portal: str
    username: str
    name: str
    csrf_token: str
    popups_closed: set[str] = field(default_factory=set)
    language: str = "nl"  # the user's: every screen of this session is in it


class Database:
    """All reads and writes of the portal's state, each under the lock and in a transaction."""

    def __init__(self, path: Path | None = None) -> None:
        target = str(path) if path else ":memory:"
        self._conn = sqlite3.connect(target, check_same_thread=False)
        self._conn.row_factory = sqlite3.Row
        self._lock = threading.Lock()
        with self._tx() as cur:
            cur.executescript(SCHEMA)
            columns = {row[1] for row in cur.execute("PRAGMA table_info(users)")}
            if "language" not in columns:  # a --db file written before users had a language
                cur.execute("ALTER TABLE users ADD COLUMN language TEXT NOT NULL DEFAULT 'nl'")

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Cursor]:
        with self._lock, self._conn:
            yield self._conn.cursor()

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    # -- seeding -------------------------------------------------------------------------------
    def is_empty(self) -> bool:
        with self._tx() as cur:
            return cur.execute("SELECT COUNT(*) FROM users").fetchone()[0] == 0

    def load(self, seed: Seed, now: float) -> None:
        """Replace everything (data, sessions, jobs) with the seed's content."""
        hashed = [
            (
                u.portal,
                u.username,
                u.name,
                hash_password(u.password, cache_key=_user_key(u)),
                u.language,
            )
            for u in seed.users
        ]
        with self._tx() as cur:
            for table in _TABLES:
                cur.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names
            cur.executemany(
                "INSERT INTO users (portal, username, name, password_hash, language) "
                "VALUES (?, ?, ?, ?, ?)",
                hashed,
            )
            for dossier in seed.pm_dossiers:
                self._insert_pm(cur, dossier)
            for i, a in enumerate(seed.assignments):
                cur.execute(
                    "INSERT INTO assignments VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (a.number, i, a.insurer, a.claim_number, a.plate, a.vin, _iso(a.date)),
                )
            for i, wx in enumerate(seed.wx_dossiers):
                self._insert_wx(cur, wx, wx.created_at or timestamp_text(now))
                circuit = wx.second_circuit
                if circuit.assignment_number:
                    cur.execute(
                        "UPDATE wx_dossiers SET sc_link_seq = ? WHERE number = ?",
                        (i + 1, wx.number),
                    )
                match = _WX_NUMBER.match(wx.number)
                if match:
                    cur.execute(
                        "INSERT INTO meta VALUES (?, ?) ON CONFLICT(key) DO UPDATE "
                        "SET value = MAX(value, excluded.value)",
                        (f"wx_seq:{match[1]}", int(match[2])),
                    )
            cur.execute("INSERT INTO meta VALUES ('link_seq', ?)", (len(seed.wx_dossiers),))

    def _insert_pm(self, cur: sqlite3.Cursor, dossier: PmDossier) -> None:
        values = [getattr(dossier, c) for c in _PM_COLUMNS]
        values = [_iso(v) if isinstance(v, dt.date) else v for v in values]
        placeholders = ", ".join("?" for _ in _PM_COLUMNS)
        cur.execute(
            f"INSERT INTO pm_dossiers ({', '.join(_PM_COLUMNS)}) VALUES ({placeholders})",  # noqa: S608
            values,
        )
        cur.executemany(
            "INSERT INTO pm_photos VALUES (?, ?, ?)",
            [(dossier.number, i, f) for i, f in enumerate(dossier.photos)],
        )

    def _insert_wx(self, cur: sqlite3.Cursor, wx: WxDossier, created_at: str) -> None:
        circuit = wx.second_circuit
        sc_values = [getattr(circuit, c) for c in _SC_COLUMNS]
        sc_values = [_iso(v) if isinstance(v, dt.date) else v for v in sc_values]
        columns = ("number", "planmanager_dossier", "plate", "vin", "created_at", *_SC_DB_COLUMNS)
        placeholders = ", ".join("?" for _ in columns)
        cur.execute(
            f"INSERT INTO wx_dossiers ({', '.join(columns)}) VALUES ({placeholders})",  # noqa: S608
            [wx.number, wx.planmanager_dossier, wx.plate, wx.vin, created_at, *sc_values],
        )
        cur.executemany(
            "INSERT INTO wx_photos VALUES (?, ?, ?)",
            [(wx.number, i, f) for i, f in enumerate(wx.photos)],
        )

    # -- users and sessions --------------------------------------------------------------------
    def check_login(self, portal: str, username: str, password: str) -> User | None:
        with self._tx() as cur:
            row = cur.execute(
                "SELECT * FROM users WHERE portal = ? AND username = ?", (portal, username)
            ).fetchone()
        if row is None:
            # Same work as a real check, so a wrong user name takes as long as a wrong password.
            verify_password(password, hash_password("x", cache_key="timing-equaliser"))
            return None
        if not verify_password(password, row["password_hash"]):
            return None
        return User(portal, row["username"], row["name"], language=row["language"])

    def password_hash(self, portal: str, username: str) -> str | None:
        """The stored hash (tests check that no plaintext is kept)."""
        with self._tx() as cur:
            row = cur.execute(
                "SELECT password_hash FROM users WHERE portal = ? AND username = ?",
                (portal, username),
            ).fetchone()
        return row[0] if row else None

    def create_session(self, user: User, now: float, ttl_s: float) -> Session:
        session = Session(
            new_token(),
            user.portal,
            user.username,
            user.name,
            new_token(),
            language=user.language,
        )
        with self._tx() as cur:
            cur.execute("DELETE FROM sessions WHERE expires_at < ?", (now,))
            cur.execute(
                "INSERT INTO sessions VALUES (?, ?, ?, ?, ?, '')",
                (session.token, user.portal, user.username, session.csrf_token, now + ttl_s),
            )
        return session

    def session(self, portal: str, token: str | None, now: float, ttl_s: float) -> Session | None:
        """The live session for this cookie, its idle timer restarted; None if gone or expired."""
        if not token:
            return None
        with self._tx() as cur:
            row = cur.execute(
                "SELECT s.*, u.name, u.language FROM sessions s JOIN users u "
                "ON u.portal = s.portal AND u.username = s.username "
                "WHERE s.token = ? AND s.portal = ?",
                (token, portal),
            ).fetchone()
            if row is None:
                return None
            if row["expires_at"] < now:
                cur.execute("DELETE FROM sessions WHERE token = ?", (token,))
                return None
            cur.execute("UPDATE sessions SET expires_at = ? WHERE token = ?", (now + ttl_s, token))
        return Session(
            row["token"],
            row["portal"],
            row["username"],
            row["name"],
            row["csrf_token"],
            {kind for kind in row["popups_closed"].split(",") if kind},
            language=row["language"],
        )

    def delete_session(self, portal: str, token: str) -> None:
        with self._tx() as cur:
            cur.execute("DELETE FROM sessions WHERE token = ? AND portal = ?", (token, portal))

    def close_popup(self, session: Session, kind: str) -> None:
        closed = ",".join(sorted(session.popups_closed | {kind}))
        with self._tx() as cur:
            cur.execute(
                "UPDATE sessions SET popups_closed = ? WHERE token = ?", (closed, session.token)
            )

    # -- PlanManager ---------------------------------------------------------------------------
    def pm_dossiers(self, query: str = "") -> list[PmDossier]:
        """All dossiers, newest number first; `query` matches number or plate (normalised)."""
        with self._tx() as cur:
            rows = cur.execute("SELECT * FROM pm_dossiers ORDER BY number DESC").fetchall()
        dossiers = [self._pm_from_row(row, []) for row in rows]
        wanted = normalize(query)
        if not wanted:
            return dossiers
        return [
            d for d in dossiers if wanted in normalize(d.number) or wanted in normalize(d.plate)
        ]

    def pm_dossier(self, number: str) -> PmDossier | None:
        with self._tx() as cur:
            row = cur.execute("SELECT * FROM pm_dossiers WHERE number = ?", (number,)).fetchone()
            if row is None:
                return None
            photos = [
                r[0]
                for r in cur.execute(
                    "SELECT file FROM pm_photos WHERE dossier = ? ORDER BY position", (number,)
                )
            ]
        return self._pm_from_row(row, photos)

    @staticmethod
    def _pm_from_row(row: sqlite3.Row, photos: list[str]) -> PmDossier:
        values: dict[str, Any] = {}
        for column in _PM_COLUMNS:
            value = row[column]
            if column in _DATES:
                value = _date(value)
            elif column in _PM_BOOLS:
                value = _bool(value)
            values[column] = value
        return PmDossier(**values, photos=photos)

    def pm_photo_exists(self, file: str) -> bool:
        with self._tx() as cur:
            return (
                cur.execute("SELECT 1 FROM pm_photos WHERE file = ? LIMIT 1", (file,)).fetchone()
                is not None
            )

    def create_pm_dossier(self, dossier: PmDossier) -> bool:
        """Insert a new dossier; False if the number is taken."""
        with self._tx() as cur:
            taken = cur.execute(
                "SELECT 1 FROM pm_dossiers WHERE number = ?", (dossier.number,)
            ).fetchone()
            if taken:
                return False
            self._insert_pm(cur, dossier)
        return True

    def update_pm_dossier(self, number: str, changes: dict[str, Any]) -> None:
        """Overwrite the editable fields of a dossier (number, photos and injection untouched)."""
        columns = [c for c in changes if c in _PM_COLUMNS and c != "number"]
        values = [
            _iso(changes[c]) if isinstance(changes[c], dt.date) else changes[c] for c in columns
        ]
        assignments = ", ".join(f"{c} = ?" for c in columns)
        with self._tx() as cur:
            cur.execute(
                f"UPDATE pm_dossiers SET {assignments} WHERE number = ?",  # noqa: S608
                [*values, number],
            )

    def next_pm_number(self, year: int) -> str:
        """A free dossier number for the create form's suggestion: PM-YYYY-NNNN."""
        prefix = f"PM-{year}-"
        with self._tx() as cur:
            rows = cur.execute(
                "SELECT number FROM pm_dossiers WHERE number LIKE ?", (prefix + "%",)
            ).fetchall()
        used = [int(r[0][len(prefix) :]) for r in rows if r[0][len(prefix) :].isdigit()]
        return f"{prefix}{(max(used) + 1 if used else 1):04d}"

    # -- injection -----------------------------------------------------------------------------
    def start_injection(self, number: str, due_at: float) -> None:
        """A confirmed click on "i": count it and queue the job that makes the Informex dossier."""
        with self._tx() as cur:
            cur.execute(
                "UPDATE pm_dossiers SET injections = injections + 1 WHERE number = ?", (number,)
            )
            cur.execute(
                "INSERT INTO injection_jobs (pm_dossier, due_at) VALUES (?, ?)", (number, due_at)
            )

    def injection_pending(self, number: str) -> bool:
        with self._tx() as cur:
            return (
                cur.execute(
                    "SELECT 1 FROM injection_jobs WHERE pm_dossier = ? AND wx_dossier IS NULL",
                    (number,),
                ).fetchone()
                is not None
            )

    def complete_due_injections(self, now: float) -> list[str]:
        """Finish every job whose time has come: new Informex dossier, photos copied, link set."""
        created: list[str] = []
        with self._tx() as cur:
            jobs = cur.execute(
                "SELECT id, pm_dossier FROM injection_jobs "
                "WHERE wx_dossier IS NULL AND due_at <= ? ORDER BY due_at, id",
                (now,),
            ).fetchall()
            for job in jobs:
                pm = cur.execute(
                    "SELECT plate, vin FROM pm_dossiers WHERE number = ?", (job["pm_dossier"],)
                ).fetchone()
                number = self._allocate_wx_number(cur, dt.date.fromtimestamp(now).year)
                photos = [
                    r[0]
                    for r in cur.execute(
                        "SELECT file FROM pm_photos WHERE dossier = ? ORDER BY position",
                        (job["pm_dossier"],),
                    )
                ]
                wx = WxDossier(
                    number=number,
                    planmanager_dossier=job["pm_dossier"],
                    plate=pm["plate"] if pm else None,
                    vin=pm["vin"] if pm else None,
                    created_at=timestamp_text(now),
                    photos=photos,
                )
                self._insert_wx(cur, wx, wx.created_at)
                cur.execute(
                    "UPDATE pm_dossiers SET informex_dossier = ? WHERE number = ?",
                    (number, job["pm_dossier"]),
                )
                cur.execute(
                    "UPDATE injection_jobs SET wx_dossier = ? WHERE id = ?", (number, job["id"])
                )
                created.append(number)
        return created

    @staticmethod
    def _allocate_wx_number(cur: sqlite3.Cursor, year: int) -> str:
        key = f"wx_seq:{year}"
        row = cur.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        seq = row[0] if row else 0
        while True:
            seq += 1
            number = f"WX-{year}-{seq:06d}"
            if not cur.execute("SELECT 1 FROM wx_dossiers WHERE number = ?", (number,)).fetchone():
                break
        cur.execute(
            "INSERT INTO meta VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, seq),
        )
        return number

    # -- Winformex -----------------------------------------------------------------------------
    def assignments(self, query: str = "") -> list[tuple[Assignment, str | None]]:
        """Assignments, newest first, each with its linked Informex dossier (or None).

        `query` matches opdrachtnummer, schadenummer, VIN or plate, compared normalised.
        """
        with self._tx() as cur:
            rows = cur.execute(
                "SELECT * FROM assignments ORDER BY date DESC, position DESC"
            ).fetchall()
            links = self._links(cur)
        result = [(self._assignment(row), links.get(row["number"])) for row in rows]
        wanted = normalize(query)
        if not wanted:
            return result
        return [
            (a, link)
            for a, link in result
            if any(wanted in normalize(v) for v in (a.number, a.claim_number, a.vin, a.plate))
        ]

    def assignment(self, number: str) -> tuple[Assignment, str | None] | None:
        with self._tx() as cur:
            row = cur.execute("SELECT * FROM assignments WHERE number = ?", (number,)).fetchone()
            links = self._links(cur)
        return (self._assignment(row), links.get(number)) if row else None

    def assignment_exists(self, number: str) -> bool:
        with self._tx() as cur:
            return (
                cur.execute("SELECT 1 FROM assignments WHERE number = ?", (number,)).fetchone()
                is not None
            )

    @staticmethod
    def _links(cur: sqlite3.Cursor) -> dict[str, str]:
        """opdrachtnummer → the Informex dossier that most recently saved it in its 2e circuit."""
        rows = cur.execute(
            "SELECT sc_assignment_number, number FROM wx_dossiers "
            "WHERE sc_assignment_number IS NOT NULL ORDER BY sc_link_seq, number"
        ).fetchall()
        return {row[0]: row[1] for row in rows}

    @staticmethod
    def _assignment(row: sqlite3.Row) -> Assignment:
        return Assignment(
            row["number"],
            row["insurer"],
            row["claim_number"],
            row["plate"],
            row["vin"],
            _date(row["date"]),
        )

    def wx_dossiers(self, query: str = "") -> list[WxDossier]:
        """Informex dossiers, newest first; `query` matches numbers, plate or VIN (normalised)."""
        with self._tx() as cur:
            rows = cur.execute("SELECT * FROM wx_dossiers ORDER BY number DESC").fetchall()
            photos = self._wx_photos(cur)
        dossiers = [self._wx_from_row(row, photos.get(row["number"], [])) for row in rows]
        wanted = normalize(query)
        if not wanted:
            return dossiers
        return [
            d
            for d in dossiers
            if any(
                wanted in normalize(v)
                for v in (
                    d.number,
                    d.planmanager_dossier,
                    d.plate,
                    d.vin,
                    d.second_circuit.assignment_number,
                )
            )
        ]

    def wx_dossier(self, number: str) -> WxDossier | None:
        with self._tx() as cur:
            row = cur.execute("SELECT * FROM wx_dossiers WHERE number = ?", (number,)).fetchone()
            photos = self._wx_photos(cur)
        return self._wx_from_row(row, photos.get(number, [])) if row else None

    @staticmethod
    def _wx_photos(cur: sqlite3.Cursor) -> dict[str, list[str]]:
        photos: dict[str, list[str]] = {}
        for row in cur.execute("SELECT dossier, file FROM wx_photos ORDER BY dossier, position"):
            photos.setdefault(row[0], []).append(row[1])
        return photos

    @staticmethod
    def _wx_from_row(row: sqlite3.Row, photos: list[str]) -> WxDossier:
        circuit: dict[str, Any] = {}
        for column in _SC_COLUMNS:
            value = row[f"sc_{column}"]
            if column in _DATES:
                value = _date(value)
            elif column in _SC_BOOLS:
                value = bool(value)
            circuit[column] = value
        return WxDossier(
            number=row["number"],
            planmanager_dossier=row["planmanager_dossier"],
            plate=row["plate"],
            vin=row["vin"],
            created_at=row["created_at"],
            photos=photos,
            second_circuit=SecondCircuit(**circuit),
        )

    def save_second_circuit(self, number: str, circuit: SecondCircuit) -> None:
        """Overwrite the 2e circuit data of a dossier (the form saves all fields) and count it."""
        columns = [c for c in _SC_COLUMNS if c != "saves"]
        values = [getattr(circuit, c) for c in columns]
        values = [_iso(v) if isinstance(v, dt.date) else v for v in values]
        assignments = ", ".join(f"sc_{c} = ?" for c in columns)
        with self._tx() as cur:
            seq = cur.execute("SELECT value FROM meta WHERE key = 'link_seq'").fetchone()
            link_seq = (seq[0] if seq else 0) + 1
            cur.execute(
                "INSERT INTO meta VALUES ('link_seq', ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (link_seq,),
            )
            cur.execute(
                f"UPDATE wx_dossiers SET {assignments}, sc_saves = sc_saves + 1, "  # noqa: S608
                "sc_link_seq = ? WHERE number = ?",
                [*values, link_seq, number],
            )

    # -- /_mock/state --------------------------------------------------------------------------
    def state(self) -> dict[str, Any]:
        """Everything a test compares against, in the shape docs/mock-portal.md promises."""
        with self._tx() as cur:
            pending = {
                r[0]
                for r in cur.execute(
                    "SELECT DISTINCT pm_dossier FROM injection_jobs WHERE wx_dossier IS NULL"
                )
            }
            photo_counts = dict(
                cur.execute("SELECT dossier, COUNT(*) FROM pm_photos GROUP BY dossier").fetchall()
            )
            pm_rows = cur.execute("SELECT * FROM pm_dossiers ORDER BY number").fetchall()
        planmanager = [
            {
                "number": r["number"],
                "plate": r["plate"],
                "vin": r["vin"],
                "customer": r["customer_name"],
                "make": r["make"],
                "model": r["model"],
                "informex_dossier": r["informex_dossier"],
                "injections": r["injections"],
                "photos": photo_counts.get(r["number"], 0),
                "status": r["status"],
                "injection_pending": r["number"] in pending,
            }
            for r in pm_rows
        ]
        assignments = [
            {
                "number": a.number,
                "insurer": a.insurer,
                "claim_number": a.claim_number,
                "plate": a.plate,
                "vin": a.vin,
                "date": _iso(a.date),
                "linked_dossier": link,
            }
            for a, link in sorted(self.assignments(), key=lambda item: item[0].number)
        ]
        dossiers = [
            {
                "number": d.number,
                "planmanager_dossier": d.planmanager_dossier,
                "photos": len(d.photos),
                "created_at": d.created_at,
                "second_circuit": {
                    **{
                        c: getattr(d.second_circuit, c)
                        for c in _SC_COLUMNS
                        if c != "first_registration"
                    },
                    "first_registration": _iso(d.second_circuit.first_registration),
                },
            }
            for d in sorted(self.wx_dossiers(), key=lambda d: d.number)
        ]
        return {
            "planmanager": {"dossiers": planmanager},
            "winformex": {"assignments": assignments, "dossiers": dossiers},
        }


def _user_key(user: User) -> str:
    return f"{user.portal}:{user.username}"
