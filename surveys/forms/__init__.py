"""The forms of the surveys app, one module per concern."""
