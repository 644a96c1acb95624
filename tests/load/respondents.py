"""Simulated respondents over HTTP (the standard library's urllib, one thread each).

A respondent does what a person does in a browser: opens the login page, logs in, opens
the start page, starts the questionnaire, saves a first draft of section 1, then saves
every section in turn with its final answers ("Spara och fortsätt"), opens the review
and submits. Every request is timed; redirects are followed as separate requests.
"""

from __future__ import annotations

import http.cookiejar
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

from tests.load.answers import Plan, section_data

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION = re.compile(r'name="version" value="(\d+)"')
RESPONSE_PK = re.compile(r"/svar/(\d+)/")
TIMEOUT = 120


class RespondentError(Exception):
    """A page did not answer as a respondent's browser expects."""


@dataclass
class Timing:
    method: str
    path: str
    status: int
    seconds: float


@dataclass
class Outcome:
    """What one respondent did: its requests, and the error that stopped it, if any."""

    organisation_code: str
    timings: list[Timing] = field(default_factory=list)
    error: str = ""
    response_pk: int | None = None


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


class Browser:
    """Cookies, and one timed request at a time; redirects followed by hand."""

    def __init__(self, base_url: str, outcome: Outcome) -> None:
        self.base_url = base_url.rstrip("/")
        self.outcome = outcome
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
            _NoRedirect,
        )

    def _request(self, method: str, path: str, data: list | None) -> tuple[int, str]:
        url = path if path.startswith("http") else self.base_url + path
        body = None if data is None else urllib.parse.urlencode(data).encode()
        request = urllib.request.Request(url, data=body, method=method)  # noqa: S310
        request.add_header("Referer", url)
        started = time.perf_counter()
        try:
            with self.opener.open(request, timeout=TIMEOUT) as reply:
                status, text = reply.status, reply.read().decode()
                location = reply.headers.get("Location", "")
        except urllib.error.HTTPError as exc:
            status, text = exc.code, exc.read().decode(errors="replace")
            location = exc.headers.get("Location", "")
        seconds = time.perf_counter() - started
        self.outcome.timings.append(
            Timing(method, urllib.parse.urlsplit(url).path, status, seconds)
        )
        if status in (301, 302, 303):
            return status, location
        return status, text

    def get(self, path: str) -> str:
        """The page at path, following redirects; raises unless it ends in 200."""
        for _hop in range(5):
            status, text = self._request("GET", path, None)
            if status == 200:
                self.last_path = path
                return text
            if status not in (301, 302, 303):
                raise RespondentError(f"GET {path}: {status}")
            path = text
        raise RespondentError(f"GET {path}: too many redirects")

    def post(self, path: str, data: list[tuple[str, str]]) -> str:
        """POST a form; it must redirect (a saved form); returns the redirect's target."""
        status, text = self._request("POST", path, data)
        if status not in (302, 303):
            raise RespondentError(f"POST {path}: {status} {_problem(text)}")
        return text


def _problem(page: str) -> str:
    """The first error message of a page, to say why a form was refused."""
    match = re.search(
        r'class="[^"]*(?:alert-danger|invalid-feedback)[^"]*"[^>]*>(.*?)<', page, re.S
    )
    return " ".join(match.group(1).split()) if match else ""


def _token(page: str, name: str, pattern: re.Pattern) -> str:
    match = pattern.search(page)
    if match is None:
        raise RespondentError(f"no {name} on the page")
    return match.group(1)


def respond(base_url: str, username: str, password: str, plan: Plan) -> Outcome:
    """One respondent from login to submit; any failure is recorded, not raised."""
    outcome = Outcome(plan.organisation_code)
    browser = Browser(base_url, outcome)
    try:
        page = browser.get("/konto/logga-in/")
        target = browser.post(
            "/konto/logga-in/",
            [
                ("csrfmiddlewaretoken", _token(page, "CSRF token", CSRF)),
                ("username", username),
                ("password", password),
            ],
        )
        if "logga-in" in target:
            raise RespondentError(f"login of {username} refused")
        home = browser.get(target)
        start = f"/enkat/{plan.questionnaire_pk}/{plan.organisation_code}/starta/"
        if start not in home:
            raise RespondentError(f"the start page of {username} has no {start}")
        section_url = browser.post(
            start, [("csrfmiddlewaretoken", _token(home, "CSRF token", CSRF))]
        )
        outcome.response_pk = int(_token(section_url, "response id", RESPONSE_PK))
        page = browser.get(section_url)
        # A first draft of section 1 ("Spara utkast"): stays on the section.
        first_position, first_questions = plan.sections[0]
        page = _save(
            browser, page, outcome, first_position, first_questions, plan.draft, "save"
        )
        for index, (position, questions) in enumerate(plan.sections):
            last = index == len(plan.sections) - 1
            page = _save(
                browser,
                page,
                outcome,
                position,
                questions,
                plan.expected,
                "review" if last else "next",
            )
        target = browser.post(
            f"/svar/{outcome.response_pk}/skicka-in/",
            [
                ("csrfmiddlewaretoken", _token(page, "CSRF token", CSRF)),
                ("version", _token(page, "version", VERSION)),
            ],
        )
        if "sammanfattning" not in target:
            raise RespondentError(f"the submit went to {target}, not the summary")
        browser.get(target)
    except (RespondentError, OSError) as exc:
        outcome.error = f"{type(exc).__name__}: {exc}"
    return outcome


def _save(browser, page, outcome, position, questions, values, action) -> str:
    path = f"/svar/{outcome.response_pk}/avsnitt/{position}/"
    data = [
        ("csrfmiddlewaretoken", _token(page, "CSRF token", CSRF)),
        ("version", _token(page, "version", VERSION)),
        ("action", action),
        *section_data(questions, values),
    ]
    target = browser.post(path, data)
    return browser.get(target)


def run_all(
    base_url: str, respondents: list[tuple[str, str, Plan]]
) -> tuple[list[Outcome], float]:
    """Every respondent in a thread of its own, started together; and the wall time."""
    outcomes: list[Outcome | None] = [None] * len(respondents)
    barrier = threading.Barrier(len(respondents))

    def work(index: int, username: str, password: str, plan: Plan) -> None:
        barrier.wait()
        outcomes[index] = respond(base_url, username, password, plan)

    threads = [
        threading.Thread(target=work, args=(i, *respondent), daemon=True)
        for i, respondent in enumerate(respondents)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return [o for o in outcomes if o is not None], time.perf_counter() - started
