#!/bin/sh
# Backfill as an AWS Batch array job, then verify once every child has finished. Batch gives
# each child AWS_BATCH_JOB_ARRAY_INDEX but not the array's size: CDP_SHARD_COUNT carries it.
set -eu
cd "$(dirname "$0")"
QUEUE=${QUEUE:?set QUEUE to your Batch job queue}
SHARDS=${SHARDS:-64}
aws batch register-job-definition --cli-input-json file://backfill-job-definition.json >/dev/null
aws batch register-job-definition --cli-input-json file://verify-job-definition.json >/dev/null
ARRAY=$(aws batch submit-job --job-name cdp-parquet-backfill --job-queue "$QUEUE" \
  --job-definition cdp-parquet-backfill --array-properties "size=$SHARDS" \
  --container-overrides "environment=[{name=CDP_SHARD_COUNT,value=$SHARDS}]" \
  --query jobId --output text)
aws batch submit-job --job-name cdp-parquet-verify --job-queue "$QUEUE" \
  --job-definition cdp-parquet-verify --depends-on "jobId=$ARRAY" --query jobId --output text
