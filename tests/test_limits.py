"""Edges of the clock and of state size: refused clearly, never a 500, never half-applied."""

from __future__ import annotations

from datetime import datetime

import pytest

from mockhub.clock import Clock
from mockhub.errors import Invalid


@pytest.mark.parametrize("body, field", [
    ({"advance": 3e11}, "advance"),
    ({"freeze": "1969-12-31T23:59:00Z"}, "freeze"),
    ({"freeze": "0001-01-01T00:00:00Z"}, "freeze"),
])
def test_clock_refuses_moments_outside_its_range(client, hub, body, field):
    before = hub.clock.iso()
    response = client.post("/__mockhub/clock", json=body)
    assert response.status_code == 422
    assert field in response.json["errors"]
    assert hub.clock.iso() == before
    assert client.get("/__mockhub/totp/anna").status_code == 200


def test_unfrozen_clock_refuses_a_jump_past_9999():
    clock = Clock()
    with pytest.raises(Invalid):
        clock.advance(3e11)
    assert clock.now().year < 9999


def test_naive_datetimes_mean_utc():
    clock = Clock()
    clock.freeze(datetime(2026, 5, 13, 8))
    assert clock.iso() == "2026-05-13T08:00:00Z"
    clock.unfreeze()
    assert clock.now().year == 2026


def test_a_saved_state_bigger_than_an_api_body_loads_back(tmp_path):
    from mockhub.app import create_app

    seed = tmp_path / "big.yaml"
    seed.write_text("generate: {users: 100, repos_per_user: 3, issues_per_repo: 6, "
                    "comments_per_issue: 1}\n")
    client = create_app(seeds=["default", str(seed)]).test_client()
    state = client.get("/__mockhub/state").get_data()
    assert len(state) > 1_000_000  # over the 1 MB limit on API bodies
    assert client.put("/__mockhub/state", data=state,
                      content_type="application/json").status_code == 200
    assert client.post("/api/v2/auth/login", data=b"x" * len(state),
                       content_type="application/json").status_code == 413
