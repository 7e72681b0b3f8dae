"""The web application: waiting dossiers, a dossier's run as it happens, last nights, health.

Each screen is a server-rendered page (Jinja, autoescaped) whose changing part is also served
alone as a fragment; a small script (static/web.js) fetches that fragment every second while
something is going and swaps it in, and a page without scripts refreshes itself. Nothing here
starts a browser or writes to a portal: clicks go to bot/web/jobs.py, what is shown is read
from the runs folder and the runs' ledgers, in the store BOT_DATABASE_URL names
(bot/web/evidence.py), and from the read-only tasks' answers.

Handlers are coroutines on the server's one event loop: what they do is read small files and
start processes, so they never race one another (no locks needed for the page's own state).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from bot.browser.sessions import PORTALS, state_file
from bot.domain.fields import FIELD_NAMES
from bot.domain.models import DossierInput, DossierResult, DossierStatus
from bot.domain.validation import ValidationRules, validate_dossier_number
from bot.engine.leases import Holder
from bot.errors import ValidationError
from bot.evidence.files import dossier_folder
from bot.evidence.logging_setup import Redactor
from bot.settings import Settings
from bot.web.evidence import (
    DossierProgress,
    LedgerReader,
    PageLeases,
    dossier_holder,
    dossier_progress,
    last_check,
    ledger_reader,
    list_runs,
    newest_run_with,
    page_leases,
    read_json,
    run_file,
    run_of_holder,
)
from bot.web.explain import explain
from bot.web.i18n import (
    LANGUAGE_COOKIE,
    LANGUAGE_NAMES,
    LANGUAGES,
    Translator,
    pick_language,
)
from bot.web.jobs import Job, JobBoard, LinkRequest, TaskBoard, TooManyRuns
from bot.web.security import (
    REPORT_POLICY,
    SESSION_COOKIE,
    Gate,
    LoginThrottle,
    Sessions,
    checked_form,
    session_cookie,
    session_of,
)

HERE = Path(__file__).resolve().parent
LIVE_HEADER = "x-live"


@dataclass
class Web:
    """What every request handler shares."""

    settings: Settings
    sessions: Sessions
    throttle: LoginThrottle
    jobs: JobBoard
    tasks: TaskBoard
    folder: Path  # BOT_STATE_DIR/web: the page's own files (jobs, survey, health, values)
    ledgers: LedgerReader  # the runs' ledgers, in the store BOT_DATABASE_URL names
    leases: PageLeases  # the dossiers' leases, the same way (asked, never taken)
    redactor: Redactor
    templates: Environment
    values_tried: set[str] = field(default_factory=set)

    @property
    def rules(self) -> ValidationRules:
        return ValidationRules.from_settings(self.settings)

    def scrub(self, text: str | None) -> str:
        return self.redactor.scrub(text or "")


def web_of(request: Request) -> Web:
    return request.app.state.web  # type: ignore[no-any-return]


# -- rendering ---------------------------------------------------------------------------------
def make_templates() -> Environment:
    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["path"] = lambda text: quote(str(text), safe="/")
    return env


def language_of(request: Request) -> str:
    return pick_language(
        request.cookies.get(LANGUAGE_COOKIE), request.headers.get("accept-language")
    )


def render(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    web = web_of(request)
    language = language_of(request)
    session = session_of(request)
    base = {
        "t": Translator(language),
        "lang": language,
        "languages": [(code, LANGUAGE_NAMES[code]) for code in LANGUAGES],
        "csrf": web.sessions.csrf_token(session) if session else "",
        "login_required": web.sessions.login_required,
        "logged_in": bool(session and session.logged_in),
        "here": request.url.path,
        "active": "",
    }
    html = web.templates.get_template(name).render(**(base | context))
    return HTMLResponse(html, status_code=status_code)


def is_live(request: Request) -> bool:
    return LIVE_HEADER in request.headers


# -- waiting dossiers --------------------------------------------------------------------------
def waiting_context(web: Web) -> dict[str, Any]:
    survey = read_json(web.folder / "waiting.json")
    task = web.tasks.running("survey")
    busy: dict[str, Holder] = {}
    clicked: dict[str, str] = {}  # dossiers clicked since the list was read: how that went
    surveyed_at = str((survey or {}).get("ended_at") or "")
    for entry in (survey or {}).get("to_link", []) + (survey or {}).get("incomplete", []):
        number = str(entry.get("number", ""))
        holder = dossier_holder(web.settings, number, web.leases)
        if holder is not None:
            busy[number] = holder
        job = web.jobs.latest(number)
        if job is not None and job.started_at >= surveyed_at:
            clicked[number] = job_outcome(web, job)
    return {
        "survey": survey,
        "survey_error": web.scrub((survey or {}).get("error")),
        "refreshing": task.started_at if task else None,
        "busy": busy,
        "clicked": clicked,
        "statuses": [s.value for s in DossierStatus],
    }


async def waiting_page(request: Request) -> Response:
    return render_waiting(request)


def render_waiting(
    request: Request,
    status_code: int = 200,
    *,
    form: dict[str, Any] | None = None,
    problem: str | None = None,
) -> HTMLResponse:
    web = web_of(request)
    recent = [(job, job_outcome(web, job)) for job in web.jobs.recent(8)]
    return render(
        request,
        "waiting.html",
        status_code,
        active="waiting",
        form=form or {"dossier": "", "assignment": "", "force": False, "dry_run": False},
        problem=problem,
        recent=recent,
        example=example_assignment(web.settings),
        **waiting_context(web),
    )


async def waiting_live(request: Request) -> Response:
    return render(request, "_waiting_live.html", **waiting_context(web_of(request)))


async def refresh_waiting(request: Request) -> Response:
    await checked_form(request)
    web = web_of(request)
    web.tasks.start("survey", "survey", str(web.folder / "waiting.json"))
    return RedirectResponse("/", status_code=303)


def example_assignment(settings: Settings) -> str:
    return "IX-2026-004711" if "IX-" in settings.assignment_pattern else ""


async def link(request: Request) -> Response:
    """Link now: validate as `informex-bot run` does, then start it (or join the one going)."""
    form = await checked_form(request)
    web = web_of(request)
    values = {
        "dossier": str(form.get("dossier") or "").strip(),
        "assignment": str(form.get("assignment") or "").strip(),
        "force": form.get("force") == "on",
        "dry_run": form.get("dry_run") == "on",
    }
    try:
        job_input = DossierInput.create(
            values["dossier"], values["assignment"] or None, rules=web.rules
        )
    except ValidationError as exc:
        return render_waiting(request, 400, form=values, problem=f"bad input: {exc}")
    link_request = LinkRequest(
        dossier=job_input.dossier,
        assignment=job_input.assignment,
        force=values["force"],
        dry_run=values["dry_run"],
    )
    try:
        job, started = web.jobs.start(link_request)
    except TooManyRuns as exc:
        t = Translator(language_of(request))
        return render_waiting(request, 429, form=values, problem=t("too_many", count=exc.args[0]))
    target = "/dossiers/" + quote(job.request.dossier, safe="/")
    return RedirectResponse(target + ("" if started else "?joined=1"), status_code=303)


# -- one dossier -------------------------------------------------------------------------------
@dataclass
class DossierView:
    """Everything the dossier page shows at one moment, decided here so templates only show."""

    number: str
    job: Job | None
    progress: DossierProgress | None
    holder: Holder | None  # another process working on the dossier now
    waiting_for_lease: bool
    values: dict[str, Any] | None
    values_title: str
    values_state: str  # "", "loading", "failed"
    values_error: str
    refusal: str  # what the command said when it ended without a result
    final: bool

    @property
    def result(self) -> DossierResult | None:
        return self.progress.result if self.progress else None


def dossier_view(web: Web, number: str) -> DossierView:
    runs_dir = web.settings.runs_dir
    job = web.jobs.latest(number)
    holder = dossier_holder(web.settings, number, web.leases)
    newest = newest_run_with(runs_dir, number, ledgers=web.ledgers)
    if job is not None and not job.running and job.run_id and newest and newest > job.run_id:
        job = None  # the dossier went through a newer run since (a batch): show that one
    run_id = job.run_id if job else (run_of_holder(holder) or newest)
    progress = dossier_progress(runs_dir, run_id, number, ledgers=web.ledgers) if run_id else None
    ours = job is not None and job.running and holder is not None and holder.pid == job.pid
    other = holder if holder is not None and not ours else None
    waiting = bool(job and job.running and other)  # our run waits for the other's lease
    values, values_title, values_state, values_error = dossier_values(web, progress)
    refusal = ""
    ended = job is not None and not job.running and job.exit_code is not None
    if ended and (progress is None or not progress.final):
        refusal = web.scrub(job.output).strip() or "—"
    job_done = job is None or not job.running
    run_done = progress is None or progress.final or not progress.run_running
    final = job_done and run_done and values_state != "loading" and other is None
    return DossierView(
        number=number,
        job=job,
        progress=progress,
        holder=other,
        waiting_for_lease=waiting,
        values=values,
        values_title=values_title,
        values_state=values_state,
        values_error=values_error,
        refusal=refusal,
        final=final,
    )


def dossier_values(
    web: Web, progress: DossierProgress | None
) -> tuple[dict[str, Any] | None, str, str, str]:
    """The values to show with a result: a dry run's from results.json, a link's read back."""
    result = progress.result if progress else None
    if result is None or progress is None or progress.run_id is None:
        return None, "", "", ""
    if result.values:
        title = "values_dry" if result.status is DossierStatus.DRY_RUN else "values_title"
        return ordered(result.values), title, "", ""
    linked = result.status in (DossierStatus.LINKED, DossierStatus.ALREADY_LINKED)
    if not linked or not result.informex_dossier:
        return None, "", "", ""
    key = f"values:{progress.run_id}:{result.dossier}"
    answer_file = (
        web.folder / "values" / f"{progress.run_id}--{dossier_folder(result.dossier)}.json"
    )
    answer = read_json(answer_file)
    if answer is not None:
        if answer.get("error"):
            return None, "values_title", "failed", web.scrub(str(answer["error"]))
        return ordered(answer.get("values") or {}), "values_title", "", ""
    if web.tasks.running(key) is None:
        if key in web.values_tried:  # tried once and it left no answer: say so, do not loop
            return None, "values_title", "failed", web.scrub(web.tasks.last_words(key))
        web.values_tried.add(key)
        web.tasks.start(key, "values", result.informex_dossier, str(answer_file))
    return None, "values_title", "loading", ""


def ordered(values: dict[str, Any]) -> dict[str, Any]:
    known = {name: values[name] for name in FIELD_NAMES if name in values}
    return known | {k: v for k, v in values.items() if k not in known}


def job_outcome(web: Web, job: Job) -> str:
    """A job's status in one word for the list of recent clicks."""
    if job.running:
        return "running"
    if job.run_id:
        progress = dossier_progress(
            web.settings.runs_dir, job.run_id, job.request.dossier, ledgers=web.ledgers
        )
        if progress.result is not None:
            return progress.result.status.value
    return "refused" if job.exit_code == 2 else "ended"


def number_of(request: Request) -> str:
    raw = request.path_params["number"]
    try:
        return validate_dossier_number(raw)
    except ValidationError:
        raise HTTPException(404, "bad dossier number") from None


async def dossier_page(request: Request) -> Response:
    web = web_of(request)
    view = dossier_view(web, number_of(request))
    return render(
        request,
        "dossier.html",
        active="waiting",
        view=view,
        joined=request.query_params.get("joined") == "1",
        **dossier_context(request, view),
    )


async def dossier_live(request: Request) -> Response:
    web = web_of(request)
    view = dossier_view(web, number_of(request))
    return render(request, "_dossier_live.html", view=view, **dossier_context(request, view))


def dossier_context(request: Request, view: DossierView) -> dict[str, Any]:
    web, result = web_of(request), view.result
    error = web.scrub(result.error) if result else ""
    return {
        "explanation": explain(result) if result else None,
        "error": error,
        "message": Translator(language_of(request)).message(error),
        "lease_wait_s": int(web.settings.lease_wait_s),
    }


# -- runs --------------------------------------------------------------------------------------
async def runs_page(request: Request) -> Response:
    web = web_of(request)
    runs = list_runs(web.settings.runs_dir, web.jobs.page_runs(), ledgers=web.ledgers)
    return render(request, "runs.html", active="runs", runs=runs, statuses=list(DossierStatus))


async def run_files(request: Request) -> Response:
    web = web_of(request)
    path = run_file(
        web.settings.runs_dir, request.path_params["run_id"], request.path_params["path"]
    )
    if path is None:
        raise HTTPException(404, "not found")
    headers = {"cache-control": "private, max-age=3600"} if path.suffix in (".png", ".jpg") else {}
    if path.suffix == ".html":
        headers["content-security-policy"] = REPORT_POLICY
    if path.suffix in (".json", ".jsonl", ".xml"):
        headers["content-type"] = "text/plain; charset=utf-8"
    return FileResponse(path, headers=headers)


# -- health ------------------------------------------------------------------------------------
def health_context(web: Web) -> dict[str, Any]:
    answer = read_json(web.folder / "health.json")
    task = web.tasks.running("health")
    return {
        "check": last_check(web.settings.runs_dir),
        "health": answer,
        "health_error": web.scrub((answer or {}).get("error")),
        "checking": task.started_at if task else None,
        "stored": {name: state_file(web.settings, name).is_file() for name in PORTALS},
    }


async def health_page(request: Request) -> Response:
    return render(request, "health.html", active="health", **health_context(web_of(request)))


async def health_live(request: Request) -> Response:
    return render(request, "_health_live.html", **health_context(web_of(request)))


async def run_health_check(request: Request) -> Response:
    await checked_form(request)
    web = web_of(request)
    web.tasks.start("health", "health", str(web.folder / "health.json"))
    return RedirectResponse("/health", status_code=303)


# -- login, logout, language -------------------------------------------------------------------
def client_of(request: Request) -> str:
    return request.client.host if request.client else "-"


async def login_page(request: Request) -> Response:
    web = web_of(request)
    session = session_of(request)
    if not web.sessions.login_required or (session and session.logged_in):
        return RedirectResponse("/", status_code=303)
    return render(request, "login.html", problem=None)


async def login(request: Request) -> Response:
    form = await checked_form(request)
    web = web_of(request)
    t = Translator(language_of(request))
    if not web.sessions.login_required:
        return RedirectResponse("/", status_code=303)
    client = client_of(request)
    wait_s = web.throttle.locked_for(client)
    if wait_s > 0:
        minutes = max(1, -(-int(wait_s) // 60))
        response = render(request, "login.html", 429, problem=t("login_throttled", minutes=minutes))
        response.headers["retry-after"] = str(int(wait_s) + 1)
        return response
    password = form.get("password")
    if not isinstance(password, str) or not web.sessions.password_matches(password):
        web.throttle.failed(client)
        return render(request, "login.html", 401, problem=t("login_wrong"))
    web.throttle.succeeded(client)
    old = session_of(request)
    if old is not None:
        web.sessions.end(old.id)
    session = web.sessions.new(logged_in=True)  # a new id at login: none fixed beforehand counts
    request.scope["web_session_replaced"] = True
    response = RedirectResponse("/", status_code=303)
    response.headers.append("set-cookie", session_cookie(session.id))
    return response


async def logout(request: Request) -> Response:
    await checked_form(request)
    web = web_of(request)
    session = session_of(request)
    if session is not None:
        web.sessions.end(session.id)
    request.scope["web_session_replaced"] = True
    target = "/login" if web.sessions.login_required else "/"
    response = RedirectResponse(target, status_code=303)
    response.headers.append(
        "set-cookie", f"{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0"
    )
    return response


async def choose_language(request: Request) -> Response:
    form = await checked_form(request)
    language = str(form.get("lang") or "")
    back = str(form.get("back") or "/")
    if not back.startswith("/") or back.startswith("//") or "\\" in back:
        back = "/"
    response = RedirectResponse(back, status_code=303)
    if language in LANGUAGES:
        response.set_cookie(
            LANGUAGE_COOKIE, language, max_age=365 * 86400, httponly=True, samesite="lax"
        )
    return response


async def http_error(request: Request, exc: Exception) -> Response:
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    detail = exc.detail if isinstance(exc, HTTPException) else "error"
    if is_live(request):
        return Response(str(detail), status_code=status, media_type="text/plain")
    return render(request, "error.html", status, status=status, detail=detail)


# -- the application ---------------------------------------------------------------------------
def create_app(
    settings: Settings,
    *,
    loopback_only: bool = True,
    job_command: list[str] | None = None,
    task_command: list[str] | None = None,
) -> Starlette:
    """The page for these settings. `loopback_only`: answer loopback Host names only (the
    default when no password is set; `serve` refuses anything else without one)."""
    folder = settings.state_dir / "web"
    redactor = Redactor(settings.secrets)
    web = Web(
        settings=settings,
        sessions=Sessions(settings.ui_password),
        throttle=LoginThrottle(),
        jobs=JobBoard(
            settings.runs_dir, folder / "jobs", scrub=redactor.scrub, command=job_command
        ),
        tasks=TaskBoard(folder / "tasks", command=task_command),
        folder=folder,
        ledgers=ledger_reader(settings),
        leases=page_leases(settings),
        redactor=redactor,
        templates=make_templates(),
    )
    routes = [
        Route("/", waiting_page),
        Route("/waiting/live", waiting_live),
        Route("/waiting/refresh", refresh_waiting, methods=["POST"]),
        Route("/link", link, methods=["POST"]),
        Route("/dossiers/{number:path}", dossier_page),
        Route("/live/dossiers/{number:path}", dossier_live),
        Route("/runs", runs_page),
        Route("/runs/{run_id}/{path:path}", run_files),
        Route("/health", health_page),
        Route("/health/live", health_live),
        Route("/health/check", run_health_check, methods=["POST"]),
        Route("/login", login_page),
        Route("/login", login, methods=["POST"]),
        Route("/logout", logout, methods=["POST"]),
        Route("/language", choose_language, methods=["POST"]),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        try:
            yield
        finally:
            web.ledgers.close()  # the database connection, when the ledgers are in PostgreSQL

    app = Starlette(
        routes=routes, exception_handlers={HTTPException: http_error}, lifespan=lifespan
    )
    app.state.web = web
    app.state.sessions = web.sessions
    app.add_middleware(Gate, sessions=web.sessions, loopback_only=loopback_only)
    return app
