"""How to: make the next POST /repos fail twice with 503, and check that the client retried.

The failure is decided before the API runs, so the two 503s create nothing: the third attempt
creates the repo exactly once.
"""

import time

import requests


def create_repo(api_url: str, token: str, name: str, attempts: int = 4) -> requests.Response:
    """The client under test: retries 503 with a short back-off."""
    for attempt in range(attempts):
        response = requests.post(f"{api_url}/repos", json={"name": name},
                                 headers={"Authorization": f"token {token}"})
        if response.status_code != 503:
            return response
        time.sleep(0.01 * 2 ** attempt)
    return response


def test_client_retries_two_503s(mockhub):
    token = mockhub.login("bob")
    with mockhub.fault(method="POST", path="/repos", status=503, times=2,
                       headers={"Retry-After": "1"}):
        response = create_repo(mockhub.api_url, token, "retried")

    assert response.status_code == 201
    attempts = mockhub.requests(method="POST", path="/api/v2/repos")
    assert [entry["status"] for entry in attempts] == [503, 503, 201]
    assert attempts[0]["rule_id"] is not None
    mine = requests.get(f"{mockhub.api_url}/repos", headers={"Authorization": f"token {token}"})
    assert [repo["name"] for repo in mine.json()].count("retried") == 1


def test_a_client_without_retries_sees_the_503(mockhub):
    with mockhub.fault(method="POST", path="/repos", status=503, times=1):
        response = create_repo(mockhub.api_url, mockhub.login("bob"), "once", attempts=1)
    assert response.status_code == 503
    assert response.json()["message"]
