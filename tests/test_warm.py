"""jobs/warm.py: the workers warm every kind of document in the kinds table (a kind without warm-up data
stopped every worker at start)."""

from __future__ import annotations

from labdocs.jobs.warm import warm_payloads
from labdocs.render.kinds import KINDS


def test_every_kind_has_warm_up_data() -> None:
    assert set(warm_payloads()) == {row.kind for row in KINDS}
