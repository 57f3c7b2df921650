"""labdocs: bids, final reports and zines for co-operative councils' policy labs, from one project record."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from flask import Flask

from .config import default_config


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app: defaults, then LABDOCS_* environment variables, then `config`."""
    from .web.setup import LabdocsFlask

    app = LabdocsFlask(__name__, instance_relative_config=True)
    app.config.from_mapping(default_config(app.instance_path))
    app.config.from_prefixed_env("LABDOCS")
    if config:
        app.config.from_mapping(config)
    os.makedirs(app.instance_path, exist_ok=True)
    app.json.sort_keys = False  # type: ignore[attr-defined]

    from .api import create_api
    from .db import init_db
    from .errors import register_errors
    from .limits import init_limits
    from .queue import init_queue
    from .storage import init_store
    from .web import create_web
    from .web.setup import setup_web

    init_db(app)
    init_store(app)
    init_queue(app)
    register_errors(app)
    init_limits(app)
    setup_web(app)
    app.register_blueprint(create_api())
    app.register_blueprint(create_web())
    return app
