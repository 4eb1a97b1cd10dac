"""The OpenAPI description: valid OpenAPI 3.1 (checked by openapi-spec-validator), true to the routes it names."""

from __future__ import annotations

import json
from typing import Any

from openapi_spec_validator import validate


def test_the_description_is_valid_openapi(client: Any) -> None:
    response = client.get("/openapi.json")
    assert response.status_code == 200
    assert response.content_type == "application/vnd.oai.openapi+json; charset=utf-8"
    document = json.loads(response.data)
    validate(document)  # raises on any error
    assert document["servers"] == [{"url": "http://localhost"}]
    assert client.get("/.well-known/openapi.json").data == response.data


def test_every_described_path_is_served(client: Any) -> None:
    document = json.loads(client.get("/openapi.json").data)
    examples = {
        "{type}": "axis",
        "{slug}": "axe-1",
        "{vocabulary}": "cper",
        "{name}": "data",
        "{file}": "dataset.ttl",
        "{version}": "1.1.0",
    }
    for path in document["paths"]:
        concrete = path
        for name, value in examples.items():
            concrete = concrete.replace(name, value)
        query = "?default" if path == "/graph-store" else ""
        response = client.get(concrete + query)
        assert response.status_code in (200, 303), (path, response.status_code)
