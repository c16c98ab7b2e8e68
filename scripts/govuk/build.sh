#!/usr/bin/env bash
# Rebuild qa_service/static/govuk/govuk-frontend.min.css from the govuk-frontend npm package.
# Only needed to upgrade govuk-frontend: the built file is committed, so the service needs no npm.
# Arial instead of GDS Transport (licensed for GOV.UK services only); assets under /static/govuk/.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
npm init -y >/dev/null
npm install --no-audit --no-fund --ignore-scripts govuk-frontend@6.6.0 sass@1 >/dev/null
npx sass --load-path=node_modules --style=compressed --no-source-map \
  "$here/build.scss" "$here/../../qa_service/static/govuk/govuk-frontend.min.css"
