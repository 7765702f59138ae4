"""The REST API of the members records (under /api/v1/)."""
