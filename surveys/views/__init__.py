"""The pages of the surveys app, one module per concern; surveys/urls.py maps them."""
