"""The one kind of Jinja environment that ever sees user data: sandboxed, immutable, autoescaping."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jinja2 import Template
from jinja2.sandbox import ImmutableSandboxedEnvironment


class TemplateCache(ImmutableSandboxedEnvironment):
    """A sandbox that compiles each distinct template source once.

    docxtpl hands the environment the same document XML on every render of a template and calls
    from_string(); compiling it is most of docxtpl's own cost, so compiled templates are kept.
    """

    def __init__(self, **options: Any) -> None:
        super().__init__(autoescape=True, **options)
        self.compiled: dict[str, Template] = {}

    def from_string(self, source: Any, globals: Any = None, template_class: Any = None) -> Template:
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        template = self.compiled.get(source)
        if template is None:
            if len(self.compiled) > 64:  # templates are few; this only guards against misuse
                self.compiled.clear()
            template = self.compiled[source] = super().from_string(source)
        return template


@lru_cache(maxsize=1)
def sandbox() -> TemplateCache:
    """The process's sandboxed environment (created once, after fork it is shared copy-on-write)."""
    return TemplateCache()
