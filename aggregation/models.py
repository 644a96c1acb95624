"""Aggregation results; built in the aggregation issue."""
