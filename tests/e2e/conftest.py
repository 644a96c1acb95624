"""Browser tests: Playwright driving Debian's Chromium against the live test server."""

from __future__ import annotations

import os
import shutil

import pytest

CHROMIUM_CANDIDATES = ("chromium", "chromium-browser")


def chromium_path() -> str | None:
    for name in CHROMIUM_CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail(
                "CI=true but no Chromium found: install it with apt-get install chromium"
            )
        pytest.skip(
            "Browser tests skipped: no Chromium on this machine "
            "(apt-get install chromium to run them)"
        )
    # Playwright's sync API runs an event loop in this thread; the ORM calls made by the
    # test itself between browser steps are still synchronous and safe here.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=path,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield instance
        instance.close()


# Every Content-Security-Policy violation of a page, reported to the test (the
# securitypolicyviolation event; Chromium also logs each one as a console error).
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolation({
    directive: event.effectiveDirective,
    blocked: event.blockedURI,
    sample: event.sample,
    source: event.sourceFile + ":" + event.lineNumber,
    page: document.location.href,
  });
});
"""


class BrowserProblems:
    """What went wrong in the browser while a test ran: CSP violations, console errors,
    uncaught script errors. An HTTP error status of a page the test navigated to (a 403
    or 404 page it visits on purpose) is no problem: the test checks the status itself.
    """

    def __init__(self) -> None:
        self.csp_violations: list[dict] = []
        self.console_errors: list[str] = []
        self.error_documents: set[str] = set()

    def on_response(self, response) -> None:
        if response.request.resource_type == "document" and response.status >= 400:
            self.error_documents.add(response.url)

    def on_console(self, message) -> None:
        if message.type != "error":
            return
        location = (message.location or {}).get("url", "")
        if (
            message.text.startswith("Failed to load resource")
            and location in self.error_documents
        ):
            return
        self.console_errors.append(f"{location}: {message.text}")

    def on_page_error(self, error) -> None:
        self.console_errors.append(f"uncaught: {error}")

    def on_csp_violation(self, source, violation: dict) -> None:
        self.csp_violations.append(violation)

    def report(self) -> list[str]:
        return [f"CSP violation: {v}" for v in self.csp_violations] + [
            f"console error: {e}" for e in self.console_errors
        ]


@pytest.fixture
def browser_problems() -> BrowserProblems:
    return BrowserProblems()


@pytest.fixture
def page(browser, browser_problems):
    """A fresh browser page; the test fails on any CSP violation or console error."""
    context = browser.new_context(
        locale="sv-SE", viewport={"width": 1280, "height": 900}
    )
    context.expose_binding("__cspViolation", browser_problems.on_csp_violation)
    context.add_init_script(REPORT_CSP_VIOLATIONS)
    page = context.new_page()
    page.on("response", browser_problems.on_response)
    page.on("console", browser_problems.on_console)
    page.on("pageerror", browser_problems.on_page_error)
    page.set_default_timeout(15000)
    yield page
    context.close()
    problems = browser_problems.report()
    if problems:
        pytest.fail(
            f"{len(problems)} problems in the browser:\n" + "\n".join(problems[:40]),
            pytrace=False,
        )
