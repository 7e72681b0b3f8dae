"""A whole batch against the hostile portal: slow, failing, forgetful, full of popups.

Under the `hostile` profile the portal answers 5xx to saves, loses the answers of saves that did
succeed (502), expires sessions, shows popups and takes seconds to inject. The bot must still link
every complete dossier exactly once, and never replace an opdrachtnummer it did not write.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from bot.domain.models import DossierStatus
from bot.settings import Settings
from mock_portal.process import MockPortalProcess
from tests import seeds
from tests.e2e.helpers import only_run_dir, run_bot
from tests.reliability.helpers import (
    FORMS,
    Form,
    PortalCheck,
    dossier_numbers,
    read_json,
    record_figures,
    run_batch,
    statuses,
    write_csv,
)

FAULT_SEED = 2026
RETRIES = 6  # hostile fails about one attempt in three by design; the default (2) is for real life
ALREADY = ("PM-2026-1901", "WX-2026-000901", "IX-2026-899001")
CONFLICT = ("PM-2026-1902", "WX-2026-000902", "IX-2026-899002")
FOREIGN = "IX-2026-899999"  # an opdrachtnummer someone else put in CONFLICT's 2e circuit


def hostile_world(count: int) -> tuple[dict[str, Any], dict[str, str]]:
    """`count` fresh dossiers, one already linked, one linked to a foreign number.

    Returns the seed and, per dossier, the opdrachtnummer its 2e circuit must end up holding.
    """
    world = seeds.many(count)
    expected = {
        d["number"]: a["number"] for d, a in (seeds.numbered(i) for i in range(1, count + 1))
    }
    for number, informex, assignment_number, held in (
        (*ALREADY, ALREADY[2]),
        (*CONFLICT, FOREIGN),
    ):
        i = int(number[-3:])
        vin = f"WVWZZZ1KZ8W{700000 + i:06d}"
        plate = f"3-CNF-{i:03d}"
        claim = f"AG-26-{900000 + i}"
        world["planmanager"]["dossiers"].append(
            seeds.dossier(
                number,
                vehicle={"vin": vin, "plate": plate},
                claim_number=claim,
                informex_dossier=informex,
                injections=1,
            )
        )
        world["winformex"]["assignments"].append(
            seeds.assignment(
                assignment_number, vin=vin, plate=plate.replace("-", ""), claim_number=claim
            )
        )
        world["winformex"]["dossiers"].append(
            {
                "number": informex,
                "planmanager_dossier": number,
                "photos": 2,
                "second_circuit": {"assignment_number": held},
            }
        )
        expected[number] = held
    world["winformex"]["assignments"].append(
        seeds.assignment(FOREIGN, vin=None, plate="9ZZZ999", claim_number="XX-0")
    )
    return world, expected


def hostile_faults(form: Form) -> dict[str, Any]:
    knobs: dict[str, Any] = {"profile": "hostile", "seed": FAULT_SEED}
    if form.fast_faults:  # same fault rates, less waiting: CI has minutes, not hours
        knobs.update(latency_ms=[0, 100], latency_spike_ms=1000, injection_delay_s=[0.3, 0.8])
    return knobs


@pytest.mark.parametrize("form", FORMS)
def test_hostile_portal_links_every_dossier_once_and_overwrites_nothing(
    form: Form, portal: MockPortalProcess, bot_env: dict[str, str], tmp_path: Path
) -> None:
    world, expected = hostile_world(form.hostile_dossiers)
    portal.reset(world)
    faults = portal.set_faults(**hostile_faults(form))
    fresh = dossier_numbers(form.hostile_dossiers)
    csv = write_csv(tmp_path / "nacht.csv", [f"{n};" for n in [*fresh, ALREADY[0], CONFLICT[0]]])
    env = {**bot_env, "BOT_SCREENSHOTS": "off"}

    started = time.monotonic()
    done = run_batch(
        [str(csv), "--workers", "2", "--retries", str(RETRIES)], env, tmp_path, timeout_s=3000
    )
    wall_s = time.monotonic() - started

    run_dir = only_run_dir(tmp_path / "runs")
    results = {r["dossier"]: r for r in read_json(run_dir / "results.json")["dossiers"]}
    check = PortalCheck.of(portal.state())
    attempts = sum(r["attempts"] for r in results.values())
    failed = {n: r["error"] for n, r in results.items() if r["status"] == "system_error"}
    record_figures(
        f"faults[{form.name}]",
        profile=faults["profile"],
        fault_seed=FAULT_SEED,
        latency_ms=faults["latency_ms"],
        injection_delay_s=faults["injection_delay_s"],
        dossiers=len(results),
        statuses=dict(statuses(list(results.values()))),
        attempts=attempts,
        retried_dossiers=sum(r["attempts"] > 1 for r in results.values()),
        max_attempts=max(r["attempts"] for r in results.values()),
        max_saves=max(check.saves.values()),
        wall_s=round(wall_s, 1),
        duplicates=len(check.duplicates()),
        overwritten=len(check.wrong_links(expected)),
        lost=len(set(expected) - set(results)),
    )

    assert sorted(results) == sorted(expected), done.stdout + done.stderr
    ended = {n: results[n]["status"] for n in fresh}
    assert ended == dict.fromkeys(fresh, "linked"), failed
    assert results[ALREADY[0]]["status"] == "already_linked", results[ALREADY[0]]["error"]
    assert results[CONFLICT[0]]["status"] == "business_error"
    assert FOREIGN in results[CONFLICT[0]]["error"]
    assert check.duplicates() == {}
    assert all(check.injections[n] == 1 for n in fresh)
    assert check.wrong_links(expected) == {}
    assert set(check.saves.values()) == {1}  # each 2e circuit saved once, however many retries
    assert done.returncode == 1  # the conflict needs a person


def test_expired_session_right_after_login_is_not_taken_for_refused_credentials(
    portal: MockPortalProcess, settings: Settings
) -> None:
    portal.set_faults(
        fail_next=[
            {"method": "GET", "path_contains": "/planmanager/dossiers", "mode": "expire_session"}
        ]
    )

    result, _ = run_bot(settings)

    assert result.status is DossierStatus.LINKED, result.error
