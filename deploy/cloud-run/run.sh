#!/bin/sh
# Backfill, then verify (`execute --wait` returns when every task has finished).
set -eu
cd "$(dirname "$0")"
REGION=${REGION:-us-central1}
gcloud run jobs replace backfill-job.yaml --region "$REGION"
gcloud run jobs execute cdp-parquet-backfill --region "$REGION" --wait
gcloud run jobs replace verify-job.yaml --region "$REGION"
gcloud run jobs execute cdp-parquet-verify --region "$REGION" --wait
