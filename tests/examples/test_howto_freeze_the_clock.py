"""How to: run a test at a fixed moment, and move time forward.

The marker starts (once, shared by every test that asks for the same thing) a server whose
clock is frozen there; `mockhub.clock` moves it. Timestamps and TOTP codes follow the clock.
"""

import pytest
import requests

MOMENT = "2026-05-13T08:00:00Z"


@pytest.mark.mockhub(clock=MOMENT)
def test_timestamps_come_from_the_frozen_clock(mockhub):
    headers = {"Authorization": f"token {mockhub.login('bob')}"}
    issues = f"{mockhub.api_url}/repos/anna/mitt-repo/issues"
    number = requests.post(issues, headers=headers, json={"title": "At eight"}).json()["number"]
    listed = requests.get(issues, headers=headers).json()
    assert [i["created_at"] for i in listed if i["number"] == number] == [MOMENT]


@pytest.mark.mockhub(clock=MOMENT)
def test_advancing_the_clock_changes_the_totp_code(mockhub):
    before = mockhub.totp("anna")
    mockhub.clock.advance(30)
    assert mockhub.totp("anna") != before


def test_freeze_inside_a_test(mockhub):
    mockhub.clock.freeze("2030-01-01T00:00:00Z")
    assert mockhub.clock.now().year == 2030
