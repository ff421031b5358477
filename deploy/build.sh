#!/bin/sh
# The container image's build, as plain shell (the Dockerfile runs exactly this; so does
# test/deploy-image.test.ts, since containers cannot run everywhere the tests do).
#
#   deploy/build.sh SRC APP
#
# SRC: a checkout (package.json, package-lock.json, tsconfig.base.json, packages/, deploy/).
#      Its packages' dist/ folders are rebuilt.
# APP: the directory to assemble the runtime in: the workspace's two packages as it lays them
#      out (package.json and dist/ of each; the lake's bin/ and config/), the deploy pipeline,
#      and the lake's production dependencies only (the cloud SDKs included: they are what the
#      backfill uses), installed from the lock file.
set -eu
SRC=$(cd "$1" && pwd)
APP=$2
cd "$SRC"
# Compiling needs the dev dependencies (TypeScript); a checkout that has them skips the install.
if [ ! -x node_modules/.bin/tsc ]; then
  npm ci --no-audit --no-fund --ignore-scripts
fi
# The writer first: the lake compiles against its declarations.
npm run build --workspaces --silent
rm -rf "$APP"
mkdir -p "$APP/deploy" "$APP/packages/writer" "$APP/packages/lake"
cp -R packages/writer/package.json packages/writer/dist "$APP/packages/writer/"
cp -R packages/lake/package.json packages/lake/dist packages/lake/bin packages/lake/config "$APP/packages/lake/"
cp package.json package-lock.json "$APP/"
cp deploy/pipeline.yaml "$APP/deploy/"
cd "$APP"
npm ci --omit=dev --workspace @cdp-parquet/lake --no-audit --no-fund --ignore-scripts --prefer-offline
