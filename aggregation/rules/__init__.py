"""The statistics of the report as pure pandas functions (no ORM, no settings).

formatting: answer cells and numbers as printed (rounding half up: surveys.numbers);
appendix: the per-region tables with their national row; shares: count, denominator and
percent per RSS, county and Sweden. aggregation.compute reads the answers and calls these.
"""
