"""Tell someone when a nightly run had failures: a webhook and/or an e-mail, both optional.

Configured in `.env` (BOT_NOTIFY_WEBHOOK, BOT_NOTIFY_EMAIL_TO, BOT_SMTP_*; read into
`Settings.notify` at the entry point). A notification that
cannot be sent is logged, never fatal: the report on disk stays the source of truth.
"""

from __future__ import annotations

import json
import smtplib
import urllib.request
from email.message import EmailMessage
from typing import Protocol

from loguru import logger

from bot.evidence.results import is_duplicate
from bot.settings import NotifySettings, Settings


class _Outcome(Protocol):
    run_id: str
    run_dir: object
    results: list
    unfinished: int
    error: str | None

    @property
    def exit_code(self) -> int: ...


def summary_text(outcome: _Outcome) -> str:
    counts: dict[str, int] = {}
    for result in outcome.results:
        counts[result.status.value] = counts.get(result.status.value, 0) + 1
    failed = sorted(
        (r for r in outcome.results if r.status.value in ("business_error", "system_error")),
        key=lambda r: not is_duplicate(r),  # a fee paid twice first
    )
    if outcome.unfinished:
        counts["not done (stopped)"] = outcome.unfinished
    lines = [
        f"informex-bot run {outcome.run_id}: "
        + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())),
        f"report: {outcome.run_dir}/report.html",
    ]
    if outcome.error:
        lines.insert(1, f"the run stopped: {outcome.error}")
    if outcome.unfinished:
        lines.append(f"continue it with: informex-bot batch --resume {outcome.run_id}")
    lines.append("")
    lines += [f"- {r.dossier}: {r.status.value}: {r.error}" for r in failed[:50]]
    if len(failed) > 50:
        lines.append(f"… and {len(failed) - 50} more")
    return "\n".join(lines)


def notify_if_failed(settings: Settings, outcome: _Outcome) -> None:
    if outcome.exit_code == 0:
        return
    text = summary_text(outcome)
    if settings.notify.webhook:
        _post_webhook(settings.notify.webhook, outcome, text)
    if settings.notify.email_to:
        _send_mail(settings.notify, outcome, text)


def _post_webhook(url: str, outcome: _Outcome, text: str) -> None:
    body = json.dumps({"text": text, "run_id": outcome.run_id, "exit_code": outcome.exit_code})
    request = urllib.request.Request(
        url, data=body.encode(), headers={"Content-Type": "application/json"}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=15) as answer:
            logger.info("webhook notified ({})", answer.status)
    except OSError as exc:
        logger.error("webhook notification failed: {}", exc)


def _send_mail(notify: NotifySettings, outcome: _Outcome, text: str) -> None:
    message = EmailMessage()
    message["Subject"] = f"informex-bot: failures in run {outcome.run_id}"
    message["From"] = notify.email_from
    message["To"] = notify.email_to
    message.set_content(text)
    try:
        with smtplib.SMTP(notify.smtp_host, notify.smtp_port, timeout=15) as smtp:
            if notify.smtp_starttls:
                smtp.starttls()
            if notify.smtp_username:
                smtp.login(notify.smtp_username, notify.smtp_password)
            smtp.send_message(message)
        logger.info("e-mail sent to {}", notify.email_to)
    except (OSError, smtplib.SMTPException) as exc:
        logger.error("e-mail notification failed: {}", type(exc).__name__)
