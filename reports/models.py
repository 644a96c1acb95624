"""Report jobs; built in the reports issue."""
