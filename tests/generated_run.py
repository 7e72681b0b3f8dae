"""A run folder of any size, generated: results.json, bot.log.jsonl and screenshot files.

The report has to stay small and quick for a night of thousands of dossiers, which no test can
run through the portals. This writes the folder such a night leaves (each dossier with its film
strip of screenshots, a trace for failures, log lines, the business errors the bot really
raises, shops when `shops` is given) in seconds: every screenshot is a hard link to one of a
few real PNG images, so 145,000 of them take no room.
"""

from __future__ import annotations

import contextlib
import json
import os
import struct
import zlib
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from bot.domain.models import SEED_STEPS

RUN_ID = "20261128-023000-5k00"
SHOTS_PER_DOSSIER = 29  # a linked dossier's film strip, as the demo records it
SCREENS = (  # `step-action` as the recorder names them (the pages' verbs: open, fill, click…)
    "open-dossier-open-dossierlijst",
    "open-dossier-fill-zoek",
    "open-dossier-click-zoeken",
    "check-complete-open-dossier",
    "find-assignment-open-postvak",
    "find-assignment-fill-zoek-opdracht",
    "find-assignment-click-zoeken",
    "inject-click-i-injecteer",
    "inject-click-bevestigen",
    "inject-informex-nummer",
    "open-imported-open-informex-dossier",
    "link-click-gegevens-2e-circuit",
    "link-fill-chassis-vin",
    "link-fill-kilometerstand",
    "link-check-inbraak",
    "link-select-motortype",
    "link-click-opslaan",
    "verify-open-gegevens-2e-circuit",
)
BUSINESS_ERRORS = (
    "dossier is incomplete, missing: Chassisnummer (VIN), Verzekeraar; complete it in "
    "PlanManager [dossier {dossier}, step check_complete, screen PlanManager dossier]",
    "No insurance assignment matches VIN WVWZZZ1JZXW0{n:05d}, plate 1ABC{n:03d} (searched 41 "
    "assignments) [dossier {dossier}, step find_assignment]",
    "2 insurance assignments match plate 1ABC{n:03d}: IX-2026-00{n:04d}, IX-2026-01{n:04d}; "
    "give the right opdrachtnummer explicitly [dossier {dossier}, step find_assignment]",
    "2e circuit of WX-2026-{n:06d} already holds opdrachtnummer IX-2026-009999, not "
    "IX-2026-{n:06d}; not overwritten (rerun with --force to replace it) [dossier {dossier}, "
    "step link, screen Winformex Gegevens 2e circuit]",
    "vin: must be 17 characters long, not 12 (value 'WVWZZZ1JZXW0') [dossier {dossier}, "
    "step prepare_data]",
    "mileage_km: is more than 2,000,000 km (value '2500000') [dossier {dossier}, "
    "step prepare_data]",
)
SYSTEM_ERRORS = (
    "timed out waiting for the Informex dossier number (up to 120 s) [dossier {dossier}, "
    "step inject, screen PlanManager dossier]",
    "winformex answered 502 to open 2e circuit [dossier {dossier}, step link, "
    "screen Winformex Gegevens 2e circuit]",
)


def png_bytes(
    width: int = 320, height: int = 200, rgb: tuple[int, int, int] = (30, 90, 160)
) -> bytes:
    """A real PNG image: a light page with a coloured top bar, like a portal screen."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    bar = b"\x00" + bytes(rgb) * width
    page = b"\x00" + bytes((246, 248, 250)) * width
    rows = bar * (height // 8) + page * (height - height // 8)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


@dataclass(frozen=True)
class GeneratedRun:
    run_dir: Path
    dossiers: int
    failures: int
    shops: int
    screenshots: int


def generate_run(
    run_dir: Path,
    dossiers: int,
    *,
    shops: int = 0,
    shots: int = SHOTS_PER_DOSSIER,
    failure_every: int = 20,
    finished: bool = True,
    log_lines: int = 4,
    all_files: bool = False,
    images: list[Path] | None = None,
) -> GeneratedRun:
    """Write a run folder of `dossiers` dossiers (one in `failure_every` fails), with `shops`
    shops named in each dossier's `profile` (0: none), and return what it holds.

    Every screenshot is listed in results.json; the files are there for each dossier's last
    screenshot (its thumbnail in the lists), for every failure and for the first 200 dossiers,
    or for all of them with `all_files` (slower: a hard link each). `images`: real screenshots
    to use instead of the generated ones (the README's picture uses the demo's).
    """
    run_dir.mkdir(parents=True, exist_ok=True)
    folder_of_images = run_dir / ".images"
    folder_of_images.mkdir(exist_ok=True)
    sources = []
    for index in range(len(SCREENS)):
        source = folder_of_images / f"{index}.png"
        if images:
            source.write_bytes(images[index % len(images)].read_bytes())
        else:
            source.write_bytes(png_bytes(rgb=(20 + 17 * index % 200, 90, 200 - 11 * index)))
        sources.append(source)
    started = datetime(2026, 11, 28, 2, 30, tzinfo=timezone(timedelta(hours=1)))
    entries: list[dict[str, Any]] = []
    failures = 0
    total_shots = 0
    log = open(run_dir / "bot.log.jsonl", "w", encoding="utf-8")  # noqa: SIM115
    try:
        log.write(_log_line(started, "-", "-", "INFO", f"run {RUN_ID}: {dossiers} dossier(s)"))
        for n in range(1, dossiers + 1):
            dossier = f"PM-2026-{n:05d}"
            kind = n % failure_every
            if kind == 0:
                status = "business_error"
                error = BUSINESS_ERRORS[(n // failure_every) % len(BUSINESS_ERRORS)]
            elif kind == failure_every // 2 and n % (3 * failure_every) == kind:
                status = "system_error"
                error = SYSTEM_ERRORS[n % len(SYSTEM_ERRORS)]
            elif n % 97 == 0:
                status, error = "already_linked", None
            else:
                status, error = "linked", None
            failed = status in ("business_error", "system_error")
            failures += failed
            count = shots if not failed else shots // 3
            folder = run_dir / dossier
            folder.mkdir(exist_ok=True)
            names = []
            every = all_files or failed or n <= 200
            for shot in range(1, count + 1):
                screen = SCREENS[(shot - 1) * len(SCREENS) // max(count, 1)]
                name = f"{dossier}/{shot:03d}-{screen}.png"
                if every or shot == count:
                    with contextlib.suppress(FileExistsError):
                        os.link(sources[SCREENS.index(screen)], run_dir / name)
                names.append(name)
            total_shots += count
            trace = None
            if failed:
                (folder / "trace.zip").write_bytes(b"PK\x05\x06" + b"\x00" * 18)
                trace = f"{dossier}/trace.zip"
            entry: dict[str, Any] = {
                "dossier": dossier,
                "assignment": None if failed else f"IX-2026-{n:06d}",
                "status": status,
                "informex_dossier": None if failed else f"WX-2026-{n:06d}",
                "attempts": 3 if status == "system_error" else 1,
                "duration_s": round(14 + (n % 17) * 0.7, 2),
                "error": error.format(dossier=dossier, n=n) if error else None,
                "screenshots": names,
                "trace": trace,
                "step": "verify" if not failed else "check_complete",
                "values": None,
            }
            if shops:
                entry["profile"] = shop_name(n % shops)
            entries.append(entry)
            moment = started + timedelta(seconds=n * 3)
            for line in range(log_lines):
                level = "ERROR" if failed and line == log_lines - 1 else "INFO"
                message = entry["error"] if level == "ERROR" else f"step {line + 1} done"
                step = SEED_STEPS[line % len(SEED_STEPS)]
                log.write(_log_line(moment, dossier, step, level, message))
    finally:
        log.close()
    summary: dict[str, int] = {}
    for entry in entries:
        summary[entry["status"]] = summary.get(entry["status"], 0) + 1
    document = {
        "run_id": RUN_ID,
        "started_at": started.isoformat(),
        "finished_at": (started + timedelta(seconds=dossiers * 3)).isoformat()
        if finished
        else None,
        "summary": summary,
        "dossiers": entries,
        "error": None,
        "unfinished": 0 if finished else 120,
    }
    (run_dir / "results.json").write_text(json.dumps(document, indent=1), encoding="utf-8")
    return GeneratedRun(run_dir, dossiers, failures, shops, total_shots)


_SHOP_NAMES = (
    "Janssens",
    "Peeters",
    "Maes",
    "Dubois",
    "Lambert",
    "De Smet",
    "Claes",
    "Lejeune",
    "Van den Brœck",
    "Françoise & fils",
)
_TOWNS = (
    "Gent",
    "Liège",
    "Brugge",
    "Namur",
    "Hasselt",
    "Mons",
    "Leuven",
    "Wavre",
    "Aalst",
    "Arlon",
)


def shop_name(index: int) -> str:
    """`Janssens Gent`, `Peeters Gent`, … `Janssens Liège`: a shop's profile name."""
    name = _SHOP_NAMES[index % len(_SHOP_NAMES)]
    town = _TOWNS[index // len(_SHOP_NAMES) % len(_TOWNS)]
    more = index // (len(_SHOP_NAMES) * len(_TOWNS))
    return f"{name} {town}" + (f" {more + 1}" if more else "")


def _log_line(moment: datetime, dossier: str, step: str, level: str, message: str) -> str:
    """One line of bot.log.jsonl as loguru's serialize=True writes it (the parts read back)."""
    stamp = moment.isoformat(sep=" ")
    record = {
        "text": f"{stamp} | {level} | {message}\n",
        "record": {
            "time": {"repr": stamp, "timestamp": moment.timestamp()},
            "level": {"name": level, "no": 20},
            "message": message,
            "extra": {"dossier": dossier, "step": step},
        },
    }
    return json.dumps(record, ensure_ascii=False) + "\n"
