"""Nightly sync: reads sources and their accounts, disables accounts of leavers."""
import requests

from config import BASE_URL, CLIENT_ID, CLIENT_SECRET


def token():
    r = requests.post(
        f"{BASE_URL}/oauth/token",
        data={"grant_type": "client_credentials", "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET},
    )
    return r.json()["access_token"]


class Isc:
    def __init__(self):
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {token()}"

    def get(self, path, **params):
        return self.session.get(BASE_URL + path, params=params).json()

    def sources(self):
        return self.get("/v2025/sources", limit=250)

    def accounts(self, source_id):
        return self.get("/v2025/accounts", filters=f'sourceId eq "{source_id}"')

    def disable(self, account_id):
        # Leavers lose access the same night.
        return self.session.post(f"{BASE_URL}/v2025/accounts/{account_id}/disable", json={})


def main():
    isc = Isc()
    for source in isc.sources():
        for account in isc.accounts(source["id"]):
            if account.get("attributes", {}).get("status") == "leaver":
                isc.disable(account["id"])


if __name__ == "__main__":
    main()
