#!/bin/sh
# The container image's build, as plain shell (the Dockerfile runs exactly this; so does
# test/deploy-image.test.ts, since containers cannot run everywhere the tests do).
#
#   deploy/build.sh SRC APP
#
# SRC: a checkout (package.json, package-lock.json, tsconfig.json, src/, bin/, config/, deploy/).
# APP: the directory to assemble the runtime in: the compiled CLI (dist/), bin/, config/,
#      the deploy pipeline, and production dependencies only (the optional cloud SDKs
#      included: they are what the backfill uses).
set -eu
SRC=$(cd "$1" && pwd)
APP=$2
cd "$SRC"
# Compiling needs the dev dependencies (TypeScript); a checkout that has them skips the install.
if [ ! -x node_modules/.bin/tsc ]; then
  npm ci --no-audit --no-fund --ignore-scripts
fi
rm -rf "$APP"
mkdir -p "$APP/deploy"
node_modules/.bin/tsc -p tsconfig.json --outDir "$APP/dist" --sourceMap false --declaration false
cp package.json package-lock.json "$APP/"
cp -R bin config "$APP/"
cp deploy/pipeline.yaml "$APP/deploy/"
cd "$APP"
npm ci --omit=dev --no-audit --no-fund --ignore-scripts --prefer-offline
