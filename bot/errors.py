"""The bot's error tree: business errors are never retried, system errors are.

A business error means the data is wrong or conflicts with what the portal holds (an incomplete
dossier, no matching assignment, a different opdrachtnummer already linked): retrying cannot
help, a person must look. A system error means the portal, the network or the browser failed
(timeout, 5xx, lost session, crashed browser): the same work may succeed on a later attempt.
Every message names the dossier, the step and the screen, so the morning report explains itself.
"""

from __future__ import annotations


class BotError(Exception):
    """Base of every error the bot raises on purpose."""

    retryable: bool = False
    kind: str = "error"

    def __init__(
        self,
        message: str,
        *,
        dossier: str | None = None,
        step: str | None = None,
        screen: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.dossier = dossier
        self.step = step
        self.screen = screen

    def located(
        self, *, dossier: str | None = None, step: str | None = None, screen: str | None = None
    ) -> BotError:
        """Fill in where the error happened, without overwriting what is already known."""
        self.dossier = self.dossier or dossier
        self.step = self.step or step
        self.screen = self.screen or screen
        return self

    def __str__(self) -> str:
        where = [
            f"{name} {value}"
            for name, value in (
                ("dossier", self.dossier),
                ("step", self.step),
                ("screen", self.screen),
            )
            if value
        ]
        return f"{self.message} [{', '.join(where)}]" if where else self.message


class BusinessError(BotError):
    """Bad or conflicting data: never retried, reported for a person to fix."""

    kind = "business_error"


class ValidationError(BusinessError):
    """A value failed validation before anything was written to a portal."""

    def __init__(self, field: str, value: object, reason: str, **where: str | None) -> None:
        self.field = field
        self.value = value
        self.reason = reason
        super().__init__(f"{field}: {reason} (value {value!r})", **where)


class IncompleteDossierError(BusinessError):
    """The PlanManager dossier lacks data the injection needs."""


class AssignmentNotFoundError(BusinessError):
    """No insurance assignment in Winformex matches the dossier.

    When the inbox showed candidates, the message gives each a line of its own saying why it was
    set aside (another VIN, linked to another Informex dossier, another claim number…).
    """


class AmbiguousAssignmentError(BusinessError):
    """Several insurance assignments match the dossier and its claim number does not decide;
    `candidates` are their numbers, and the message gives each candidate seen a line saying
    what matches and what kept it from being the one."""

    def __init__(self, message: str, candidates: list[str], **where: str | None) -> None:
        self.candidates = candidates
        super().__init__(message, **where)


class LinkConflictError(BusinessError):
    """The 2e circuit form already holds a different opdrachtnummer (never overwritten)."""


class DossierNotFoundError(BusinessError):
    """The dossier number does not exist in the portal."""


class PortalRefusedError(BusinessError):
    """The portal refused the data with its own validation message."""


DUPLICATE_PREFIX = "duplicate Informex dossiers"
"""How a duplicate's message starts: the report and the notification put these first."""


class DuplicateInformexError(BusinessError):
    """Winformex holds more than one Informex dossier from one PlanManager dossier (a fee each);
    a person must remove the extra one."""


class VerificationError(BusinessError):
    """What the portal shows after the link differs from what the bot wrote: a person must look."""


class SystemError_(BotError):
    """Portal, network or browser failure: the work may be retried."""

    retryable = True
    kind = "system_error"


PortalSystemError = SystemError_


class PortalTimeoutError(PortalSystemError):
    """A screen did not show what was awaited in time."""


class PortalServerError(PortalSystemError):
    """The portal answered 5xx; nothing is known to have been written."""


class WriteUncertainError(PortalSystemError):
    """A write's answer was lost (5xx or timeout after submit): read the portal before retrying."""


class UnexpectedScreenError(WriteUncertainError):
    """A write was answered with a screen other than the one it leads to (a maintenance notice
    answered 200, a proxy's page): whether the write took effect is unknown, so, as for any
    uncertain write, the step reads the portal again before anything is retried."""


class SessionExpiredError(PortalSystemError):
    """The portal sent us back to its login page; log in again and redo the step."""

    def __init__(self, message: str, portal: str, **where: str | None) -> None:
        self.portal = portal
        super().__init__(message, **where)


class NoRoomForEvidenceError(SystemError_):
    """Too little disk left for a dossier's evidence and ledger: no billable write is made."""

    retryable = False


class BrowserCrashedError(PortalSystemError):
    """The browser or its page died under us."""


class LoginRefusedError(BotError):
    """The portal refused the configured credentials: no dossier can run (configuration)."""

    kind = "config_error"


class LoginThrottledError(LoginRefusedError):
    """The portal throttles logins (too many failures): the bot stops at the first refusal.

    A LoginRefusedError, so it is never retried (another attempt could lengthen the lockout or
    lock the account for good) and ends `run` and `batch` with exit code 2.
    """


class NobodyLoggedInError(BotError):
    """`informex-bot login`: the person did not get past the login screen in time."""

    kind = "config_error"


class ConfigError(Exception):
    """Settings are missing or malformed; the message names every variable at once.

    Every ConfigError ends a command with exit code 2 before any portal is written to.
    """


class InputFileError(ConfigError):
    """The batch input file cannot be used at all; the message names the file and the problem."""

    def __init__(self, source: object, problem: str) -> None:
        self.source = str(source)
        self.problem = problem
        super().__init__(f"input file {source}: {problem}")


class LedgerError(ConfigError):
    """The ledger file is unusable, or was asked something that would break its guarantees.

    A ConfigError, so `--resume` on a broken ledger ends with a message and exit code 2.
    """


class BrowserNotFoundError(RuntimeError):
    """No usable Chromium: the message says what was tried."""


class ReportError(Exception):
    """The run folder cannot be reported on (no or unreadable results.json)."""


class DossierInterrupted(Exception):
    """A stop was asked for while the dossier waited to be retried: it is left unfinished.

    Not a result: a final `system_error` would never be redone by `--resume`, while an
    unfinished dossier is, after the portals have been read again.
    """
