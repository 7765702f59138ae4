"""The REST API of the indicator registry (under /api/v1/)."""
