"""service/errors.py: an unexpected fault is logged for us and reaches the user as plain words only."""

from __future__ import annotations

import logging

import pytest
from flask import Flask


def test_unexpected_error_hides_the_traceback(app: Flask, caplog: pytest.LogCaptureFixture) -> None:
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.get("/boom")
    def boom() -> str:
        raise RuntimeError("secret database password in a message")

    with caplog.at_level(logging.ERROR):
        response = app.test_client().get("/boom")
    assert response.status_code == 500
    assert response.get_json() == {"code": "internal_error", "status": 500, "errors": {},
                                   "message": "Something went wrong on our side. Please try again."}
    assert "secret" not in response.get_data(as_text=True)
    assert "secret database password" in caplog.text
