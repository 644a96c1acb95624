"""The benchmark's URLs: the project's, plus a trivial view to compare the pages with.

Used only by the benchmark's gunicorn (settings module benchmarks.settings), never
by the site.
"""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from benchmarks.web import TRIVIAL_PATH


def trivial(request: HttpRequest) -> HttpResponse:
    """The least a Django view does: a fixed short text through the project's stack."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path(TRIVIAL_PATH.strip("/") + "/", trivial),
    path("", include("config.urls")),
]
