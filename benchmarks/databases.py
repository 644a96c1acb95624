"""The benchmark's own databases, never the project's: each size starts from a copy of a
template that holds the migrated schema, the reference data and the 2024 questionnaires.

SQLite: files in a temporary directory. PostgreSQL: the databases gnv_bench and
gnv_bench_template on the server of BENCHMARK_POSTGRES_URL (default the local server,
user postgres), dropped and made again by each run.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

SQLITE = "sqlite"
POSTGRESQL = "postgresql"
ENGINES = (SQLITE, POSTGRESQL)
BENCH_NAME = "gnv_bench"
TEMPLATE_NAME = "gnv_bench_template"
DEFAULT_POSTGRES_SERVER = "postgres://postgres@127.0.0.1:5432"


def postgres_server() -> str:
    return os.environ.get("BENCHMARK_POSTGRES_URL", DEFAULT_POSTGRES_SERVER).rstrip("/")


def _admin_execute(*statements: str) -> None:
    """Statements on the server's maintenance database, outside a transaction."""
    import psycopg

    with psycopg.connect(f"{postgres_server()}/postgres", autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement)


@dataclass(frozen=True)
class BenchDatabase:
    """One engine's benchmark database and its template."""

    engine: str
    workdir: Path

    def _sqlite_path(self, name: str) -> Path:
        return self.workdir / f"{name}.sqlite3"

    def _url(self, name: str) -> str:
        if self.engine == SQLITE:
            return f"sqlite:///{self._sqlite_path(name)}"
        return f"{postgres_server()}/{name}"

    @property
    def url(self) -> str:
        """DATABASE_URL of the database the measurements read."""
        return self._url(BENCH_NAME)

    @property
    def template_url(self) -> str:
        return self._url(TEMPLATE_NAME)

    def create_template(self) -> None:
        """An empty template database (the caller migrates and loads it)."""
        if self.engine == SQLITE:
            self._sqlite_path(TEMPLATE_NAME).unlink(missing_ok=True)
            return
        _admin_execute(
            f'DROP DATABASE IF EXISTS "{BENCH_NAME}" WITH (FORCE)',
            f'DROP DATABASE IF EXISTS "{TEMPLATE_NAME}" WITH (FORCE)',
            f'CREATE DATABASE "{TEMPLATE_NAME}"',
        )

    def fresh_copy(self) -> None:
        """The benchmark database, a copy of the template (replacing the last one)."""
        if self.engine == SQLITE:
            target = self._sqlite_path(BENCH_NAME)
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{target}{suffix}").unlink(missing_ok=True)
            shutil.copyfile(self._sqlite_path(TEMPLATE_NAME), target)
            return
        _admin_execute(
            f'DROP DATABASE IF EXISTS "{BENCH_NAME}" WITH (FORCE)',
            f'CREATE DATABASE "{BENCH_NAME}" TEMPLATE "{TEMPLATE_NAME}"',
        )

    def drop(self) -> None:
        if self.engine == SQLITE:
            for name in (BENCH_NAME, TEMPLATE_NAME):
                self._sqlite_path(name).unlink(missing_ok=True)
            return
        _admin_execute(
            f'DROP DATABASE IF EXISTS "{BENCH_NAME}" WITH (FORCE)',
            f'DROP DATABASE IF EXISTS "{TEMPLATE_NAME}" WITH (FORCE)',
        )

    def version(self) -> str:
        """The engine's version as the benchmark's processes use it."""
        if self.engine == SQLITE:
            import sqlite3

            return f"SQLite {sqlite3.sqlite_version}"
        import psycopg

        with psycopg.connect(f"{postgres_server()}/postgres") as conn:
            row = conn.execute("SHOW server_version").fetchone()
        if row is None:
            raise RuntimeError("PostgreSQL did not report its version.")
        return f"PostgreSQL {row[0]}"
