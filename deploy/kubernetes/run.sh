#!/bin/sh
# Backfill, then verify: Kubernetes has no dependencies between Jobs, so wait in between.
set -eu
cd "$(dirname "$0")"
kubectl apply -f backfill-job.yaml
kubectl wait --for=condition=complete --timeout=48h job/cdp-parquet-backfill
kubectl apply -f verify-job.yaml
kubectl wait --for=condition=complete --timeout=2h job/cdp-parquet-verify || { kubectl logs job/cdp-parquet-verify; exit 1; }
kubectl logs job/cdp-parquet-verify
