"""Jobs queued before labdocs became one package name their functions by the old paths: run them anyway.

RQ stores a job's function and failure callback as import paths inside the job in Redis. Jobs queued by
labdocs 0.1 name `workers.jobs.…`, which no longer exists, so a deploy would strand them. Workers read
every job through `RenamedJob`, which maps the old paths to the new ones. Remove after the next release.
"""

from __future__ import annotations

from typing import Any

from rq.job import Job
from rq.utils import import_attribute

RENAMED = {
    "workers.jobs.render_document": "labdocs.jobs.functions.render_document",
    "workers.jobs.record_abandoned": "labdocs.jobs.functions.record_abandoned",
}


class RenamedJob(Job):
    """An RQ job whose function and failure callback may be named by a path from before the move."""

    @property
    def func(self) -> Any:
        name = self.func_name
        if name in RENAMED:
            return import_attribute(RENAMED[name])
        return super().func

    @property
    def failure_callback(self) -> Any:
        name = getattr(self, "_failure_callback_name", None)
        if name in RENAMED:
            self._failure_callback_name = RENAMED[name]
        return super().failure_callback
