"""Settings of the sync job, read from the environment."""
import os

TENANT = os.environ.get("ISC_TENANT", "acme")
BASE_URL = f"https://{TENANT}.api.identitynow.com"
CLIENT_ID = os.environ["SAIL_CLIENT_ID"]
CLIENT_SECRET = os.environ["SAIL_CLIENT_SECRET"]
