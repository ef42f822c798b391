#!/usr/bin/env bash
# Remakes plan.json from the configuration here, offline (no provider downloads).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp -r "$here/main.tf" "$here/modules" "$work/"
cd "$work"
export TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1 TF_CLI_CONFIG_FILE=/dev/null
terraform init -input=false -no-color >/dev/null
terraform plan -input=false -no-color -out=plan.tfplan >/dev/null
terraform show -json plan.tfplan | python3 -m json.tool --indent 1 > "$here/plan.json"
