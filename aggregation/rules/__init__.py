"""The statistics of the report as pure pandas functions (no ORM, no settings).

formatting: rounding half up and numbers as printed; appendix: the per-region tables with
their national row; shares: count, denominator and percent per RSS, county and Sweden.
aggregation.compute reads the answers and calls these.
"""
