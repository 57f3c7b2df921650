"""service/errors.py: an unexpected fault is logged for us and reaches the user as plain words only:
the shared JSON shape under /api/, a page everywhere else."""

from __future__ import annotations

import logging

import pytest
from flask import Flask


@pytest.fixture
def failing_app(app: Flask) -> Flask:
    app.config["PROPAGATE_EXCEPTIONS"] = False

    def boom() -> str:
        raise RuntimeError("secret database password in a message")

    app.add_url_rule("/api/v1/boom", "api_boom", boom)
    app.add_url_rule("/boom", "page_boom", boom)
    return app


def test_api_fault_is_the_error_shape_without_the_traceback(failing_app: Flask,
                                                            caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR):
        response = failing_app.test_client().get("/api/v1/boom")
    assert response.status_code == 500
    assert response.get_json() == {"code": "internal_error", "status": 500, "errors": {},
                                   "message": "Something went wrong on our side. Please try again."}
    assert "secret" not in response.get_data(as_text=True)
    assert "secret database password" in caplog.text


def test_page_fault_is_a_page_without_the_traceback(failing_app: Flask) -> None:
    response = failing_app.test_client().get("/boom")
    assert response.status_code == 500 and response.mimetype == "text/html"
    assert "Sorry, there is a problem with the service" in response.text
    assert "secret" not in response.text and "Traceback" not in response.text
