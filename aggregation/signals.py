"""The aggregation app's own signal: a run was queued.

The services queue runs and the tasks run them. The tasks import the services, so the
services announce a queued run instead of importing the task back, and
aggregation.receivers sends it to the workers (connected in AggregationConfig.ready).
"""

from __future__ import annotations

from django.dispatch import Signal

# Sent with run_id (an AggregationRun in status "created") after the transaction that
# queued the run has committed.
run_queued = Signal()
