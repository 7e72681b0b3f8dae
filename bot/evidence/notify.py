"""Tell someone when a nightly run had failures: a webhook and/or an e-mail, both optional.

Configured in `.env` (BOT_NOTIFY_WEBHOOK, BOT_NOTIFY_EMAIL_TO, BOT_SMTP_*; read into
`Settings.notify` at the entry point). The text is in the report's language
(BOT_REPORT_LANGUAGE), its business errors too; the webhook's `run_id` and `exit_code` are for
tools. A notification that cannot be sent is logged, never fatal: the report on disk stays the
source of truth.
"""

from __future__ import annotations

import json
import smtplib
import urllib.request
from email.message import EmailMessage
from pathlib import Path
from typing import Protocol

from loguru import logger

from bot.evidence.known_errors import explain
from bot.evidence.results import is_duplicate
from bot.evidence.texts import DEFAULT_LANGUAGE, Texts, run_language
from bot.settings import NotifySettings, Settings


class _Outcome(Protocol):
    run_id: str
    run_dir: object
    results: list
    unfinished: int
    error: str | None

    @property
    def exit_code(self) -> int: ...


NOTIFY_ORDER = ("business_error", "system_error", "dry_run", "already_linked", "linked")
"""Counts in the order the report shows them: what needs a person first."""
MAX_LINES = 50


def summary_text(outcome: _Outcome, texts: Texts | None = None) -> str:
    """The notification: counts, why the run stopped, the report, then each failure (at most
    MAX_LINES; a fee paid twice first), in the office's language (`texts`; default Dutch)."""
    t = texts or Texts(DEFAULT_LANGUAGE)
    counts: dict[str, int] = {}
    for result in outcome.results:
        counts[result.status.value] = counts.get(result.status.value, 0) + 1
    failed = sorted(
        (r for r in outcome.results if r.status.value in ("business_error", "system_error")),
        key=lambda r: not is_duplicate(r),  # a fee paid twice first
    )
    parts = [
        t("notify.count", label=t.status(status), count=t.number(counts[status]))
        for status in NOTIFY_ORDER
        if counts.get(status)
    ]
    if outcome.unfinished:
        parts.append(t("notify.unfinished", count=t.number(outcome.unfinished)))
    lines = [
        t("notify.heading", run_id=outcome.run_id, counts=", ".join(parts)),
        t("notify.report", path=f"{outcome.run_dir}/report.html"),
    ]
    if outcome.error:
        reason = explain(outcome.error, t)
        lines.insert(1, t("notify.stopped", reason=reason.text if reason else outcome.error))
    if outcome.unfinished:
        command = f"informex-bot batch --resume {outcome.run_id}"
        lines.append(t("notify.resume", command=command))
    lines.append("")
    for result in failed[:MAX_LINES]:
        error = explain(result.error, t)
        lines.append(
            t(
                "notify.line",
                dossier=result.dossier,
                status=t.status(result.status.value),
                error=error.text if error else "",
            )
        )
    if len(failed) > MAX_LINES:
        lines.append(t("notify.more", count=t.number(len(failed) - MAX_LINES)))
    return "\n".join(lines)


def notify_if_failed(settings: Settings, outcome: _Outcome) -> None:
    if outcome.exit_code == 0:
        return
    texts = Texts(run_language(settings.report.language, Path(str(outcome.run_dir))))
    text = summary_text(outcome, texts)
    if settings.notify.webhook:
        _post_webhook(settings.notify.webhook, outcome, text)
    if settings.notify.email_to:
        _send_mail(settings.notify, outcome, text, texts)


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


def _send_mail(notify: NotifySettings, outcome: _Outcome, text: str, texts: Texts) -> None:
    message = EmailMessage()
    message["Subject"] = texts("notify.subject", run_id=outcome.run_id)
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
