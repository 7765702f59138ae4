"""The REST API of the activities records (under /api/v1/)."""
