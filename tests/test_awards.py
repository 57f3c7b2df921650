"""awards: a funded project's award, checked, stored, read and removed, within its organisation only."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

AWARD: dict[str, Any] = {
    "amount": "17500.00", "date": "2024-03-15", "reference": "CCIN-IF-2024-07", "start": "2024-04-01",
    "end": "2025-03-31", "funder": {"name": "Co-operative Councils' Innovation Network"},
    "recipient_org_id": "GB-LAE-RCH", "locations": [{"name": "Rochdale", "code": "E08000005"}],
}


def test_an_award_is_recorded_replaced_read_and_removed(client: FlaskClient, auth: dict[str, str],
                                                        other_auth: dict[str, str], project: dict[str, Any]) -> None:
    url = f"/api/v1/projects/{project['id']}/award"
    assert client.get(url, headers=auth).status_code == 404
    made = client.put(url, json=AWARD, headers=auth)
    assert made.status_code == 201 and made.get_json()["award"]["amount"] == "17500.00"
    assert client.put(url, json={**AWARD, "reference": "CCIN-IF-2024-07a"}, headers=auth).status_code == 200
    assert client.get(url, headers=auth).get_json()["award"]["reference"] == "CCIN-IF-2024-07a"
    assert client.get(url, headers=other_auth).status_code == 404
    assert client.put(url, json=AWARD, headers=other_auth).status_code == 404
    assert client.delete(url, headers=auth).status_code == 204
    assert client.get(url, headers=auth).status_code == 404


@pytest.mark.parametrize(("change", "field"), [
    ({"amount": "12,50"}, "amount"), ({"amount": None}, "amount"), ({"date": "15/03/2024"}, "date"),
    ({"reference": ""}, "reference"), ({"end": "2024-01-01"}, "end"), ({"funder": {}}, "funder.name"),
    ({"funder": {"name": "CCIN", "org_id": "CCIN"}}, "funder.org_id"), ({"recipient_org_id": "GB-LAE-12"},
                                                                       "recipient_org_id"),
    ({"locations": [{"code": "E08000005"}]}, "locations.0.name"),
    ({"locations": [{"name": "x"}] * 51}, "locations"),
])
def test_a_bad_award_is_a_422_naming_the_field(client: FlaskClient, auth: dict[str, str], project: dict[str, Any],
                                               change: dict[str, Any], field: str) -> None:
    response = client.put(f"/api/v1/projects/{project['id']}/award", json={**AWARD, **change}, headers=auth)
    assert response.status_code == 422 and field in response.get_json()["errors"], response.get_json()
