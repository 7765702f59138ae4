"""The REST API at ``/api/v1/``: what every app's ``api/`` package shares
(pagination, permissions, error responses, the schema) and the URLs that put
the apps' routes together."""
