"""labdocs: bids, final reports and zines for co-operative councils' policy labs, from one project record."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from flask import Flask

from labdocs.config import default_config


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app: defaults, then LABDOCS_* environment variables, then `config`."""
    from labdocs.web.setup import LabdocsFlask

    # The instance folder (SQLite, files, the session secret by default): LABDOCS_INSTANCE_PATH, else Flask's
    # choice (src/instance in a checkout, <prefix>/var/labdocs-instance for an installed wheel).
    instance = os.environ.get("LABDOCS_INSTANCE_PATH")
    app = LabdocsFlask(__name__, instance_path=os.path.abspath(instance) if instance else None,
                       instance_relative_config=True, template_folder="web/templates", static_folder="web/static")
    app.config.from_mapping(default_config(app.instance_path))
    app.config.from_prefixed_env("LABDOCS")
    if config:
        app.config.from_mapping(config)
    os.makedirs(app.instance_path, exist_ok=True)
    app.json.sort_keys = False  # type: ignore[attr-defined]

    from labdocs.api import create_api
    from labdocs.api.openapi import bp as openapi
    from labdocs.http.errors import register_errors
    from labdocs.http.limits import init_limits
    from labdocs.infra.db import init_db
    from labdocs.infra.queue import init_queue
    from labdocs.infra.storage import init_store
    from labdocs.jobs.worker import embedded_worker
    from labdocs.web import create_web
    from labdocs.web.setup import setup_web

    init_db(app)
    init_store(app)
    init_queue(app, embedded_worker)
    register_errors(app)
    init_limits(app)
    setup_web(app)
    app.register_blueprint(create_api())
    app.register_blueprint(openapi)
    app.register_blueprint(create_web())
    return app
