"""The Store's machinery: reset by undo log, rollback of failed operations, snapshots."""

from __future__ import annotations

import json

import pytest
from helpers import NEW_KEY

from mockhub.errors import Invalid
from mockhub.store.base import StateError


def test_reset_returns_to_the_seeded_state(hub):
    pristine = hub.store.snapshot()
    token, _ = hub.store.login("bob", "mockhub")
    hub.store.add_key(3, "desk", NEW_KEY)
    hub.store.update_profile(4, location="Malmö")
    hub.store.change_password(3, token.id, "mockhub", "another-long-password")
    assert hub.store.snapshot() != pristine
    restored = hub.reset()
    assert restored >= 4
    assert hub.store.changes_since_checkpoint == 0
    assert hub.store.snapshot() == pristine
    assert hub.store.login("bob", "mockhub")[1].login == "bob"


def test_reset_restores_indexes_and_sequences(hub):
    key = hub.store.add_key(3, "desk", NEW_KEY)
    assert key.id == 8
    hub.reset()
    assert hub.store.keys.find("fingerprint", key.fingerprint) is None
    assert hub.store.add_key(3, "desk", NEW_KEY).id == 8


def test_a_failing_operation_changes_nothing(hub, monkeypatch):
    before = hub.store.snapshot()

    def explode(*args, **kwargs):
        raise Invalid("key", "boom")

    # the key row is written, then the audit entry fails: the key must go again
    monkeypatch.setattr(hub.store, "audit", explode)
    with pytest.raises(Invalid):
        hub.store.add_key(3, "desk", NEW_KEY)
    assert hub.store.snapshot() == before


def test_snapshot_is_json_and_round_trips(hub):
    hub.store.add_key(3, "desk", NEW_KEY)
    snapshot = json.loads(json.dumps(hub.store.snapshot()))
    hub.reset()
    hub.store.restore(snapshot)
    assert hub.store.snapshot() == snapshot
    hub.reset()  # a loaded state is undone by reset like any other change
    assert hub.store.keys.get(8) is None


def _first(state, table, **where):
    return next(row for row in state["tables"][table]
                if all(row[k] == v for k, v in where.items()))


@pytest.mark.parametrize("mangle, field", [
    # shape and types
    (lambda s: s.pop("tables"), "tables"),
    (lambda s: s["tables"].update(nope=[]), "tables.nope"),
    (lambda s: s["tables"]["users"][0].update(id="one"), "tables.users[0].id"),
    (lambda s: s["tables"]["users"][0].pop("login"), "tables.users[0].login"),
    (lambda s: s["tables"]["users"][1].update(login="mikael"), "tables.users[1]"),
    (lambda s: s["tables"]["users"][0].update(shoe_size=44), "tables.users[0].shoe_size"),
    (lambda s: s["tables"].update(users={}), "tables.users"),
    # values the rules rely on
    (lambda s: s.update(format="other/9"), "format"),
    (lambda s: _first(s, "collaborators", permission="write").update(permission="owner"),
     "permission"),
    (lambda s: _first(s, "users", login="anna").update(twofa_secret="!!notbase32"),
     "twofa_secret"),
    (lambda s: _first(s, "users", login="anna").update(role="king"), "role"),
    (lambda s: _first(s, "issues", id=101).update(state="stale"), "state"),
    (lambda s: _first(s, "repos", id=12).update(next_issue_number=1), "next_issue_number"),
    (lambda s: s["tables"]["comments"].append(dict(s["tables"]["comments"][0])), "id"),
])
def test_invalid_snapshot_is_refused_and_changes_nothing(hub, mangle, field):
    before = hub.store.snapshot()
    broken = json.loads(json.dumps(before))
    mangle(broken)
    with pytest.raises(StateError) as problem:
        hub.store.restore(broken)
    assert any(key.endswith(field) for key in problem.value.errors)
    assert hub.store.snapshot() == before


def test_tokens_stay_unique_after_loading_a_state(hub):
    first, _ = hub.store.login("bob", "mockhub")
    saved = hub.store.snapshot()
    hub.reset()  # the token RNG starts over ...
    hub.store.restore(saved)  # ... while the loaded state already holds its first token
    second, _ = hub.store.login("kund2", "mockhub")
    assert second.value != first.value
    assert hub.store.authenticate(first.value)[0].login == "bob"


def test_disabling_2fa_revokes_logins_waiting_for_a_code(hub):
    waiting, _ = hub.store.login("anna", "mockhub")
    assert waiting.pending_2fa
    hub.store.twofa_disable(4, hub.store.totp_codes("anna")["code"])
    assert hub.store.tokens.find("value", waiting.value) is None
    assert not hub.store.login("anna", "mockhub")[0].pending_2fa
