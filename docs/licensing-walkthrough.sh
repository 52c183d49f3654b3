#!/usr/bin/env bash
# From a vendor order to a licensed installation and back, with the keyline CLI, against a server
# started with `npm start`. Needs curl and jq, and the operator login the first start printed.
# Usage: OPERATOR_PASSWORD=… bash docs/licensing-walkthrough.sh [base-url]
set -euo pipefail
SERVER=${1:-http://127.0.0.1:8080}
API=$SERVER/api/v1
: "${OPERATOR_PASSWORD:?the operator password printed at the first start}"
OPERATOR_EMAIL=${OPERATOR_EMAIL:-operator@keyline.local}
WORK=$(mktemp -d)
keyline() { node --import tsx src/cli/main.ts "$@"; }
vendor() { keyline vendor --config "$WORK/vendor.json" "$@"; }
agent() { local command=$1; shift; keyline agent "$command" --state "$WORK/agent.json" "$@"; }
CUSTOMER=carol.$(date +%s)@example.com
json=(-H 'content-type: application/json')

echo "1. The vendor operator signs in and orders 10 desktop licenses for a customer"
vendor login --server "$SERVER" --email "$OPERATOR_EMAIL" --password "$OPERATOR_PASSWORD"
KEY=$(vendor --json order --email "$CUSTOMER" --product desktop-business=10 --duration 1y --channel reseller --plan standard | jq -r .primaryKey.key)
echo "   license key: $KEY"

echo "2. The customer signs up, confirms the email and registers the key into a new business account"
curl -sf "${json[@]}" -X POST "$API/signup" -d "{\"email\":\"$CUSTOMER\",\"firstName\":\"Carol\",\"lastName\":\"Customer\",\"password\":\"carol-password-1\"}" >/dev/null
sleep 2
TOKEN=$(curl -sf "$API/dev/mailbox?to=$CUSTOMER" | jq -r '.items[] | select(.subject | startswith("Confirm")) | .text' | grep -o 'token=[A-Za-z0-9_-]*' | cut -d= -f2)
curl -sf "${json[@]}" -X POST "$API/email-verification" -d "{\"token\":\"$TOKEN\"}" >/dev/null
CSRF=$(curl -sf -c "$WORK/carol.jar" "${json[@]}" -X POST "$API/sessions" -d "{\"email\":\"$CUSTOMER\",\"password\":\"carol-password-1\"}" | jq -r .csrfToken)
carol=(-b "$WORK/carol.jar" -H "x-csrf-token: $CSRF" "${json[@]}")
SUB=$(curl -sf "${carol[@]}" -X POST "$API/subscriptions/registrations" -d "{\"licenseKey\":\"$KEY\",\"company\":{\"name\":\"Carol's Studio\",
  \"street\":\"5 Rue de la Paix\",\"city\":\"Paris\",\"country\":\"FR\",\"zip\":\"75002\",\"phone\":\"+33 1 23 45 67 89\"}}")
ACCOUNT=$(jq -r .subscription.accountId <<<"$SUB"); SUBSCRIPTION=$(jq -r .subscription.id <<<"$SUB")
echo "   subscription $SUBSCRIPTION in account $ACCOUNT"

echo "3. A Mac activates with the key, reads its license with and without the network, checks in"
agent activate --server "$SERVER" --product desktop-business --key "$KEY" --name "Carol's MacBook"
agent status
agent status --offline
agent check-in
curl -sf "${carol[@]}" "$API/accounts/$ACCOUNT/subscriptions/$SUBSCRIPTION" | jq -c '.keys[] | {kind, quota, used, available}'

echo "4. Carol makes a configuration profile, gives it to a sublicense, and a second Mac activates with that key"
ITEM=$(curl -sf "${carol[@]}" "$API/accounts/$ACCOUNT/subscriptions/$SUBSCRIPTION" | jq -r '.products[0].itemId')
SUBKEY=$(curl -sf "${carol[@]}" -X POST "$API/accounts/$ACCOUNT/subscriptions/$SUBSCRIPTION/keys" \
  -d "{\"itemId\":\"$ITEM\",\"name\":\"Design team\",\"kind\":\"dynamic\",\"quota\":3,\"expiresAt\":null}" | jq -r .key)
SUBKEY_ID=$(jq -r .id <<<"$SUBKEY"); SUBKEY_TEXT=$(jq -r .key <<<"$SUBKEY")
PROFILE=$(curl -sf "${carol[@]}" -X POST "$API/accounts/$ACCOUNT/configuration-profiles" -d '{"name":"Design Macs","product":"desktop-business",
  "payloads":[{"type":"major_upgrades","enabled":true,"settings":{"allowed":true}},{"type":"updates","enabled":true,"settings":{"branch":"stable"}}]}' | jq -r .profile.id)
curl -sf "${carol[@]}" -X PUT "$API/accounts/$ACCOUNT/subscriptions/$SUBSCRIPTION/keys/$SUBKEY_ID/configuration-profile" -d "{\"profileId\":\"$PROFILE\"}"; echo
design() { local command=$1; shift; keyline agent "$command" --state "$WORK/design.json" "$@"; }
design activate --server "$SERVER" --product desktop-business --key "$SUBKEY_TEXT" --name "Design iMac" --fingerprint "design-imac-$(date +%s)"
design status | grep -E '^(profile|payload)'

echo "5. Carol changes the profile (version 2); the Mac gets it at its next check-in"
curl -sf "${carol[@]}" -X PUT "$API/accounts/$ACCOUNT/configuration-profiles/$PROFILE" -d '{"name":"Design Macs",
  "payloads":[{"type":"major_upgrades","enabled":true,"settings":{"allowed":false}},{"type":"updates","enabled":true,"settings":{"branch":"beta"}}]}' | jq -c '.profile | {name, version}'
design check-in | grep 'profile received'
design status | grep -E '^(profile|payload)'
design status | grep -q 'version 2'
curl -sf "${carol[@]}" "$API/accounts/$ACCOUNT/installations?profile=$PROFILE&columns=name,profile" | jq -c '.items[] | {name, profile: .profile.name}'

echo "6. Carol tries Enterprise beside her Business subscription (once per account); the vendor converts the Business subscription"
TRIAL=$(curl -sf "${carol[@]}" -X POST "$API/accounts/$ACCOUNT/subscriptions/$SUBSCRIPTION/edition-trial" -d '{}' | jq -r .subscription.id)
curl -sf "${carol[@]}" "$API/accounts/$ACCOUNT/subscriptions/$SUBSCRIPTION" | jq -c '.editions | {upgrade: .upgrade.productCode, trial: .trial.name}'
curl -s "${carol[@]}" -X POST "$API/accounts/$ACCOUNT/subscriptions/$SUBSCRIPTION/edition-trial" -d '{}' | jq -r .error.code | grep -x edition_trial_used
vendor convert "$SUBSCRIPTION"
agent check-in | grep -E '^product: +desktop-enterprise$'
agent status | grep -E '^product: +desktop-enterprise$'
design check-in | grep -E '^product: +desktop-enterprise$'
design status | grep -E '^(product|profile)'
design status | grep -qE '^profile: +Design Macs, version 2$'
curl -sf "${carol[@]}" "$API/accounts/$ACCOUNT/subscriptions/$TRIAL" | jq -c '.subscription | {name, status}'
curl -sf "${carol[@]}" "$API/accounts/$ACCOUNT/subscriptions/$TRIAL" | jq -e '.subscription.status == "suspended"' >/dev/null

echo "7. The first Mac deactivates; its seat is free again"
agent deactivate
curl -sf "${carol[@]}" "$API/accounts/$ACCOUNT/subscriptions/$SUBSCRIPTION" | jq -c '.keys[] | {kind, quota, used, available}'
rm -rf "$WORK"
