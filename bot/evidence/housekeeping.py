"""Evidence that does not fill the disk: which old run folders may go, and what went.

A nightly run of thousands of dossiers leaves gigabytes of screenshots. `--keep-runs N` keeps the
newest N run folders and BOT_RUNS_MAX_GB caps what they take together; the engine
(`bot.engine.orchestrator.prune_runs`) deletes what `choose_removals` picks here:

- the oldest runs go first, never the current run and never one a process is working on;
- a run with unresolved failures (a dossier that failed there and that no newer run took up
  again, so this run holds the last word and the evidence on it; or dossiers a stopped run left
  undone) is kept, whatever --keep-runs says, unless the size budget cannot be met otherwise:
  then it goes too, oldest first, and the current run's report says so (`pruned.json`, read by
  the report). A dossier that failed again in a newer run is that run's to keep, so a failure
  nobody fixes keeps one run, not every night's.

A folder is deleted by renaming it out of sight first (`.pruning-RUN_ID`), so a deletion cut
short never leaves a half run that looks whole; the next pruning finishes it.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from bot.evidence.files import write_json_atomic

PRUNED_FILE = "pruned.json"
_LEFTOVER = ".pruning-"
_FAILED = frozenset({"business_error", "system_error"})


@dataclass
class RunFolder:
    """A run folder as pruning sees it: newest first by name (run ids sort by time)."""

    name: str
    path: Path
    unresolved: int = 0
    size: int | None = None


@dataclass(frozen=True)
class RemovedRun:
    """A run folder that was deleted, and why it could be."""

    run_id: str
    bytes: int | None
    unresolved: int
    forced: bool  # deleted for the size budget although it had unresolved failures


@dataclass
class Pruning:
    """What one pruning did, as the current run's report shows it (`pruned.json`)."""

    removed: list[RemovedRun] = field(default_factory=list)
    budget_bytes: int | None = None
    total_bytes: int | None = None  # what the run folders take afterwards (with a budget)

    @property
    def forced(self) -> list[RemovedRun]:
        return [run for run in self.removed if run.forced]

    @property
    def over_budget(self) -> bool:
        return bool(self.budget_bytes and self.total_bytes and self.total_bytes > self.budget_bytes)

    def to_dict(self) -> dict[str, Any]:
        return {
            "removed": [asdict(run) for run in self.removed],
            "budget_bytes": self.budget_bytes,
            "total_bytes": self.total_bytes,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Pruning:
        return cls(
            removed=[RemovedRun(**run) for run in data.get("removed", [])],
            budget_bytes=data.get("budget_bytes"),
            total_bytes=data.get("total_bytes"),
        )


def run_folders(runs_dir: Path) -> list[RunFolder]:
    """The run folders under `runs_dir` (those with a results.json), newest first, each with its
    unresolved failures counted against the newer runs."""
    if not runs_dir.is_dir():
        return []
    folders = sorted(
        (
            RunFolder(entry.name, Path(entry.path))
            for entry in os.scandir(runs_dir)
            if entry.is_dir(follow_symlinks=False)
            and not entry.name.startswith(".")
            and os.path.isfile(os.path.join(entry.path, "results.json"))
        ),
        key=lambda folder: folder.name,
        reverse=True,
    )
    seen_later: set[str] = set()
    for folder in folders:  # newest first: a newer run's result on a dossier supersedes this
        failed, seen, undone = _outcomes(folder.path / "results.json")
        folder.unresolved = len(failed - seen_later) + undone
        seen_later |= seen
    return folders


def _outcomes(path: Path) -> tuple[set[str], set[str], int]:
    """(failed dossiers, every dossier with a result, dossiers left undone) of a results.json."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        entries = document.get("dossiers") or []
        failed = {str(e["dossier"]) for e in entries if e.get("status") in _FAILED}
        seen = {str(e["dossier"]) for e in entries}
        undone = 0 if document.get("finished_at") else int(document.get("unfinished") or 0)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return set(), set(), 0  # unreadable: nothing known to protect, as before
    return failed, seen, undone


def folder_bytes(path: Path) -> int:
    """What a folder takes on disk (allocated blocks, as `du` counts), symlinks not followed."""
    total = 0
    stack = [str(path)]
    while stack:
        try:
            entries = os.scandir(stack.pop())
        except OSError:
            continue
        with entries:
            for entry in entries:
                try:
                    if entry.is_dir(follow_symlinks=False):
                        stack.append(entry.path)
                    info = entry.stat(follow_symlinks=False)
                except OSError:
                    continue
                total += getattr(info, "st_blocks", 0) * 512 or info.st_size
    return total


def choose_removals(
    folders: list[RunFolder],
    *,
    keep: int | None,
    budget_bytes: int | None,
    protected: set[str],
) -> tuple[list[tuple[RunFolder, bool]], int | None]:
    """The folders to delete, oldest first, each with whether it was forced; and the bytes the
    rest take (None without a budget). `folders` come newest first, with sizes when a budget is
    set; `protected` names the current run and the runs in progress."""
    chosen: list[tuple[RunFolder, bool]] = []
    oldest_first = list(reversed(folders))
    if keep is not None:
        beyond = {folder.name for folder in folders[max(keep, 1) :]}
        chosen += [
            (folder, False)
            for folder in oldest_first
            if folder.name in beyond and folder.name not in protected and not folder.unresolved
        ]
    if not budget_bytes:
        return chosen, None
    gone = {folder.name for folder, _ in chosen}
    total = sum(folder.size or 0 for folder in folders if folder.name not in gone)
    for forced in (False, True):  # runs with unresolved failures only when nothing else is left
        for folder in oldest_first:
            if total <= budget_bytes:
                break
            if folder.name in gone or folder.name in protected or bool(folder.unresolved) != forced:
                continue
            chosen.append((folder, forced))
            gone.add(folder.name)
            total -= folder.size or 0
    return chosen, total


def remove_run_folder(path: Path) -> None:
    """Delete a run folder: renamed out of sight first, so no half run is ever left looking
    whole (a deletion cut short is finished by `sweep_leftovers`)."""
    hidden = path.with_name(f"{_LEFTOVER}{path.name}")
    os.replace(path, hidden)
    shutil.rmtree(hidden, ignore_errors=True)


def sweep_leftovers(runs_dir: Path) -> None:
    """Finish deletions an earlier pruning did not (killed, or a file in use)."""
    if runs_dir.is_dir():
        for entry in os.scandir(runs_dir):
            if entry.name.startswith(_LEFTOVER) and entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path, ignore_errors=True)


def write_pruning(run_dir: Path, pruning: Pruning) -> None:
    write_json_atomic(run_dir / PRUNED_FILE, pruning.to_dict())


def read_pruning(run_dir: Path) -> Pruning | None:
    """What the pruning after this run did, if it deleted anything or the budget is exceeded."""
    try:
        return Pruning.from_dict(json.loads((run_dir / PRUNED_FILE).read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError, KeyError):
        return None
