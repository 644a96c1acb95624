"""The load test: simulated respondents against gunicorn on PostgreSQL (bin/loadtest)."""
