#!/bin/sh
# Smoke test the dev stage would run: the service answers with its health document.
set -eu
test "$(cat /srv/app/public/health.json)" = '{"status": "ok"}'
