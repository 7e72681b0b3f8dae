"""`junit.xml`: the run as test results, for CI servers and monitoring tools.

Jenkins, GitLab, Grafana and friends already know how to count, graph and alert on JUnit files,
so one test case per dossier gives them the nightly run for free: a business error is a
`<failure>` (the data is wrong), a system error an `<error>` (the portal or the bot broke), and
every other status passes. Built with ElementTree so that portal text is always escaped; the
characters XML 1.0 cannot hold at all (terminal escapes, NUL) are dropped.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from bot.domain.models import DossierResult, DossierStatus
from bot.evidence.files import write_text_atomic
from bot.evidence.html_report import read_results, shop_of

SUITE = "informex-bot"
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(value: object) -> str:
    """`value` as text that XML 1.0 can carry (ElementTree escapes, but does not drop these)."""
    return _NOT_XML.sub("", "" if value is None else str(value))


def _outcome(result: DossierResult) -> str:
    parts = [f"status: {result.status.value}", f"attempts: {result.attempts}"]
    if result.assignment:
        parts.append(f"opdrachtnummer: {result.assignment}")
    if result.informex_dossier:
        parts.append(f"Informex dossier: {result.informex_dossier}")
    if result.step:
        parts.append(f"last completed step: {result.step}")
    if result.trace:
        parts.append(f"trace: {result.trace}")
    return "\n".join(parts)


def junit_tree(
    run_id: str,
    started_at: str | None,
    results: list[DossierResult],
    shops: list[str | None] | None = None,
) -> ET.Element:
    """The `<testsuite>` of a run: one `<testcase>` per dossier, in results.json order; a
    dossier's shop (when results name one) is its class, `informex-bot.SHOP`, so CI tools
    group a service's dossiers by shop."""
    failures = sum(r.status is DossierStatus.BUSINESS_ERROR for r in results)
    errors = sum(r.status is DossierStatus.SYSTEM_ERROR for r in results)
    suite = ET.Element(
        "testsuite",
        {
            "name": SUITE,
            "tests": str(len(results)),
            "failures": str(failures),
            "errors": str(errors),
            "skipped": "0",
            # The dossiers' own time added up, as JUnit tools expect (workers run in parallel,
            # so this may exceed the run's wall time shown in report.html).
            "time": f"{sum(r.duration_s for r in results):.3f}",
        },
    )
    if started_at:
        suite.set("timestamp", xml_text(started_at))
    properties = ET.SubElement(suite, "properties")
    ET.SubElement(properties, "property", name="run_id", value=xml_text(run_id))
    for index, result in enumerate(results):
        shop = shops[index] if shops else None
        case = ET.SubElement(
            suite,
            "testcase",
            classname=xml_text(f"{SUITE}.{shop}" if shop else SUITE),
            name=xml_text(result.dossier),
            time=f"{result.duration_s:.3f}",
        )
        if result.status in (DossierStatus.BUSINESS_ERROR, DossierStatus.SYSTEM_ERROR):
            tag = "failure" if result.status is DossierStatus.BUSINESS_ERROR else "error"
            message = xml_text(result.error) or f"{result.status.value} (no message)"
            problem = ET.SubElement(
                case, tag, message=message.splitlines()[0], type=result.status.value
            )
            problem.text = message
        ET.SubElement(case, "system-out").text = xml_text(_outcome(result))
    return suite


def write_junit(run_dir: Path) -> Path:
    """Write `run_dir/junit.xml` (atomically) from results.json; return its path."""
    run_dir = Path(run_dir)
    document, results = read_results(run_dir)
    shops = [shop_of(entry) for entry in document.get("dossiers") or []]
    suite = junit_tree(
        str(document.get("run_id") or run_dir.name), document.get("started_at"), results, shops
    )
    ET.indent(suite)
    text = ET.tostring(suite, encoding="unicode", xml_declaration=False)
    path = run_dir / "junit.xml"
    write_text_atomic(path, f'<?xml version="1.0" encoding="UTF-8"?>\n{text}\n')
    return path
