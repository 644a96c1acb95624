"""Reads of the surveys app, one module per concern."""
