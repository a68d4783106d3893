#!/usr/bin/env bash
# Succeeds when a staging deployment of this repository succeeded with a migration directory
# byte-identical to HEAD's: the production workflow's guarantee that staging saw these migrations
# first. Needs: a full clone (fetch-depth 0), gh with GH_TOKEN (deployments: read),
# GITHUB_REPOSITORY and MIGRATIONS_DIR.
set -euo pipefail

: "${GITHUB_REPOSITORY:?}" "${MIGRATIONS_DIR:?}"

# Git's tree hash of the directory: equal hashes mean byte-identical migration files.
want=$(git rev-parse "HEAD:$MIGRATIONS_DIR")

# The 100 most recent staging deployments, newest first.
deployments=$(gh api "repos/$GITHUB_REPOSITORY/deployments?environment=staging&per_page=100" \
  --jq '.[] | "\(.id) \(.sha)"')

while read -r id sha; do
  [ -n "$id" ] || continue
  got=$(git rev-parse --verify --quiet "$sha:$MIGRATIONS_DIR" || true)
  [ "$got" = "$want" ] || continue
  # A newer staging rollout marks older ones "inactive"; a success before that still counts.
  succeeded=$(gh api "repos/$GITHUB_REPOSITORY/deployments/$id/statuses?per_page=100" \
    --jq 'any(.[]; .state == "success")')
  if [ "$succeeded" = "true" ]; then
    echo "Staging rolled out these migrations in deployment $id (commit $sha)."
    exit 0
  fi
done <<< "$deployments"

echo "::error::No successful staging rollout has $MIGRATIONS_DIR as in this commit. Merge these migrations into develop and let the staging rollout pass first."
exit 1
