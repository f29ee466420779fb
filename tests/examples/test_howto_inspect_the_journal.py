"""How to: check what your client actually sent (method, path, headers, JSON body, status)."""

import requests


def test_the_journal_shows_each_call(mockhub):
    headers = {"Authorization": "token anna-token", "X-Client": "my-cli/1.0"}
    requests.patch(f"{mockhub.api_url}/me/profile", headers=headers,
                   json={"location": "Uppsala"})
    requests.get(f"{mockhub.api_url}/repos/anna/nope", headers=headers)

    calls = mockhub.requests()
    assert [(c["method"], c["path"], c["status"]) for c in calls] == [
        ("PATCH", "/api/v2/me/profile", 200),
        ("GET", "/api/v2/repos/anna/nope", 404),
    ]
    assert calls[0]["body"] == {"location": "Uppsala"}
    assert calls[0]["headers"]["X-Client"] == "my-cli/1.0"
    assert calls[0]["headers"]["Authorization"] == "token ****"  # never the secret


def test_filter_the_journal(mockhub):
    requests.get(f"{mockhub.api_url}/me", headers={"Authorization": "token bob-token"})
    requests.get(f"{mockhub.api_url}/me")  # no token: 401
    assert [c["status"] for c in mockhub.requests(status="4xx")] == [401]
    assert len(mockhub.requests(path="/api/v2/me")) == 2
