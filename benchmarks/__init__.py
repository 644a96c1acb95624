"""`manage.py benchmark`: the app's speed beside baselines measured in the same run.

- databases: the benchmark's own databases (a temporary SQLite file, PostgreSQL gnv_bench),
  made from a migrated template, never the project's database;
- synthetic: deterministic organisations, submitted responses and answers, bulk-inserted;
- worker: one measurement in a fresh process (`python -m benchmarks.worker`);
- aggregation: the app's aggregation run and the plain pandas baseline;
- web, load, urls: gunicorn on loopback and a client with 20 concurrent connections;
- pdf: the appendix PDF against WeasyPrint alone;
- runner, table: what the command runs and the table it prints.
"""

# Size 1: the national frame, 21 regions + 24 RSS + 290 municipalities.
NATIONAL_FRAME = 21 + 24 + 290
