#!/bin/busybox sh
# Smoke test the dev stage would run: the health endpoint answers with its document.
set -eu
test "$(/srv/app/public/cgi-bin/health | tail -n 1)" = '{"status": "ok"}'
