"""One benchmark step in a fresh process, on the database of DATABASE_URL.

    python -m benchmarks.worker TASK '{"argument": ...}'

prints its result as one JSON line after MARKER. The runner starts one process per step,
so each measurement starts from the same state and its peak memory is its own.
"""

from __future__ import annotations

import json
import os
import sys

MARKER = "BENCHMARK-RESULT "


def _tasks() -> dict:
    from benchmarks import aggregation, synthetic, web

    tasks = {
        "populate": synthetic.populate,
        "measure": lambda kind: aggregation.measure(kind),
        "prepare_web": web.prepare,
    }
    try:
        from benchmarks import pdf
    except ImportError:  # the PDF documents are not there yet
        return tasks
    tasks.update({"pdf_prepare": pdf.prepare, "pdf_measure": pdf.measure})
    return tasks


def main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    task, arguments = argv[1], json.loads(argv[2]) if len(argv) > 2 else {}
    result = _tasks()[task](**arguments)
    sys.stdout.write(MARKER + json.dumps(result) + "\n")


if __name__ == "__main__":
    main(sys.argv)
