"""The REST API of report runs (under /api/v1/)."""
