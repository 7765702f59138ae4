"""The OpenAPI schema: it validates without a warning, it describes every
operation the URLconf serves under /api/v1/ (with a summary and a
description), and its two readers are served from local static files."""

import re

import pytest
import yaml
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.views import APIView

pytestmark = pytest.mark.django_db

API_PREFIX = "api/v1/"
# The schema and its readers describe the API; they are not operations of it.
NOT_OPERATIONS = {"api:schema", "api:docs", "api:redoc"}
METHODS = ("get", "post", "put", "patch", "delete")


@pytest.fixture(scope="module")
def schema(tmp_path_factory, django_db_blocker) -> dict:
    path = tmp_path_factory.mktemp("schema") / "schema.yaml"
    with django_db_blocker.unblock():
        # Fails on any warning: an endpoint drf-spectacular cannot describe fully.
        call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(path))
    return yaml.safe_load(path.read_text())


def _api_operations() -> set[tuple[str, str]]:
    """(OpenAPI path, method) of every DRF view under /api/v1/ in the URLconf."""
    operations = set()

    def walk(patterns, prefix: str, namespace: str) -> None:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                inner = ":".join(part for part in (namespace, pattern.namespace) if part)
                walk(pattern.url_patterns, route, inner)
                continue
            assert isinstance(pattern, URLPattern)
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            # Router regexes and converters to OpenAPI templates: (?P<pk>[^/.]+) -> {id}.
            path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: f"{{{m.group(1)}}}", route)
            path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: f"{{{m.group(1)}}}", path)
            path = "/" + path.replace("^", "").replace("$", "")
            path = path.replace("{pk}", "{id}")
            if not path.startswith(f"/{API_PREFIX}") or name in NOT_OPERATIONS:
                continue
            callback = pattern.callback
            view_class = getattr(callback, "cls", None)
            assert view_class is not None and issubclass(view_class, APIView), f"{route} is not a DRF view"
            actions = getattr(callback, "actions", None)
            methods = set(actions) if actions else {m for m in METHODS if hasattr(view_class, m)}
            operations.update((path, method) for method in methods & set(METHODS))

    walk(get_resolver().url_patterns, "", "")
    return operations


def test_the_schema_validates_without_warnings(schema):
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "Metropolis Portal API"


def test_every_operation_of_the_urlconf_is_in_the_schema(schema):
    served = _api_operations()
    described = {
        (path, method) for path, item in schema["paths"].items() for method in item if method in METHODS
    }
    assert len(served) > 40
    assert served - described == set()
    assert described - served == set()


def test_every_operation_is_described_with_a_summary_and_its_errors(schema):
    undescribed = []
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method not in METHODS:
                continue
            if not operation.get("summary") or not operation.get("description"):
                undescribed.append(f"{method.upper()} {path}")
            assert {"401", "403", "404"} <= set(operation["responses"]), f"{method} {path}"
    assert undescribed == []


def test_the_main_endpoints_carry_examples(schema):
    def examples(path: str, method: str) -> list:
        operation = schema["paths"][path][method]
        found = list(
            operation.get("requestBody", {})
            .get("content", {})
            .get("application/json", {})
            .get("examples", {})
        )
        for response in operation["responses"].values():
            found += list(response.get("content", {}).get("application/json", {}).get("examples", {}))
        return found

    for path, method in (
        ("/api/v1/members/", "get"),
        ("/api/v1/members/", "post"),
        ("/api/v1/invoices/{id}/payments/", "post"),
        ("/api/v1/events/", "get"),
        ("/api/v1/indicators/{code}/values/", "get"),
        ("/api/v1/report-runs/", "post"),
        ("/api/v1/action-plans/{id}/rollup/", "get"),
    ):
        assert examples(path, method), f"{method.upper()} {path} has no example"


def test_token_and_session_authentication_are_documented(schema):
    schemes = schema["components"]["securitySchemes"]
    assert schemes["tokenAuth"]["type"] == "apiKey"
    assert schemes["cookieAuth"]["in"] == "cookie"


@pytest.mark.parametrize(("url", "asset"), [("/api/v1/docs/", "swagger-ui"), ("/api/v1/redoc/", "redoc")])
def test_the_readers_are_served_from_local_static_files(client, url, asset):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert f"/static/drf_spectacular_sidecar/{asset}" in html
    assert "cdn." not in html and "unpkg" not in html and "googleapis" not in html
    # Swagger UI starts from a script file (no inline script): the schema's address is there.
    start = client.get(f"{url}?script=").content.decode() if asset == "swagger-ui" else html
    assert "/api/v1/schema/" in start


def test_the_schema_is_served(client):
    response = client.get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    assert "/api/v1/members/" in response.json()["paths"]
