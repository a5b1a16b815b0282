#!/usr/bin/env bash
# Runs the sync, then checks that the HR source is healthy.
set -euo pipefail

BASE_URL="https://${ISC_TENANT}.api.identitynow.com"

python sync/sync_sources.py

curl -sf -H "Authorization: Bearer ${ISC_TOKEN}" \
  "${BASE_URL}/v2025/sources/${HR_SOURCE_ID}" | jq '.healthy'
