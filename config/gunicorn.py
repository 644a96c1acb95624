"""gunicorn's settings for the web process (Procfile: `--config python:config.gunicorn`).

The command line of the Procfile sets the address, workers and timeout; this module holds
what only Python can do.

No `Server` header: gunicorn writes "Server: gunicorn" on every response and has no
setting for it. The header only tells an attacker which server to aim at, so the line is
left out of the headers gunicorn writes itself (the reverse proxy should drop its own
too: nginx `server_tokens off`).
"""

from __future__ import annotations

from gunicorn.http import wsgi

_default_headers = wsgi.Response.default_headers


def _default_headers_without_server(self) -> list[str]:
    return [
        line
        for line in _default_headers(self)
        if not line.lower().startswith("server:")
    ]


wsgi.Response.default_headers = _default_headers_without_server
