"""A body larger than its address takes answers 413 before anything reads it: JSON under /api/,
a page elsewhere; the OpenAPI document declares it, with 401, 422 and 429, on every operation."""

from __future__ import annotations

import json

import pytest
from django.test import RequestFactory

from cultivate.apps.api.api import api
from cultivate.config.middleware import _body_limit


@pytest.mark.django_db
def test_a_ten_megabyte_api_body_gets_a_json_413_naming_both_sizes(client, community):
    body = json.dumps({"title": "Huge?", "body": "x" * 10 * 1024 * 1024})
    response = client.post(
        f"/api/communities/{community.slug}/questions", body, content_type="application/json"
    )
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"
    assert response.json()["detail"] == ("The request is 10.0 MB; this address takes at most 8 MB.")


@pytest.mark.django_db
def test_a_form_larger_than_a_page_takes_gets_a_413_page(client):
    response = client.post(
        "/accounts/login/", {"username": "ana"}, CONTENT_LENGTH=str(40 * 1024 * 1024)
    )
    assert response.status_code == 413
    assert "Too large" in response.content.decode()


def test_an_export_upload_may_be_as_large_as_the_upload_limit_and_no_larger(settings):
    factory = RequestFactory()
    upload = factory.post("/imports/c/pumps/", {}, content_type="multipart/form-data; boundary=x")
    page = factory.post("/c/pumps/questions/ask/", {})
    assert _body_limit(upload) > settings.CULTIVATE_MAX_UPLOAD_BYTES
    assert _body_limit(page) < 20 * 1024 * 1024
    assert _body_limit(factory.post("/api/communities")) == settings.CULTIVATE_API_MAX_BODY


def test_every_operation_declares_the_errors_it_can_answer():
    schema = api.get_openapi_schema()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            answers = set(operation["responses"])
            assert {400, 401, 422, 429} <= answers, (method, path)  # 400: a NUL anywhere
            if "requestBody" in operation:
                assert 413 in answers, (method, path)
