#!/usr/bin/env bash
# The README walkthrough, runnable: against a server started with `npm start` (no SMTP_URL, so
# emails land in the dev mailbox). Needs curl and jq.  Usage: bash docs/walkthrough.sh [base-url]
set -euo pipefail
API=${1:-http://127.0.0.1:8080}/api/v1
RUN=$(date +%s)
ANN=ann.$RUN@example.com
BOB=bob.$RUN@example.com
json=(-H 'content-type: application/json')
JARS=$(mktemp -d)
trap 'rm -rf "$JARS"' EXIT

# The newest link token mailed to an address, read from the dev mailbox.
mailed_token() { curl -sf "$API/dev/mailbox?to=$1" | jq -r '.items[0].text' | grep -o 'token=[A-Za-z0-9_-]*' | head -1 | cut -d= -f2; }

echo "1. Ann signs up and confirms her email address"
curl -sf "${json[@]}" -X POST "$API/signup" \
  -d "{\"email\":\"$ANN\",\"firstName\":\"Ann\",\"lastName\":\"Admin\",\"password\":\"ann-password-1\"}" | jq -c .user
sleep 2   # the outbox worker delivers within a second
curl -sf "${json[@]}" -X POST "$API/email-verification" -d "{\"token\":\"$(mailed_token "$ANN")\"}"; echo

echo "2. Ann signs in (cookie jar + CSRF token) and creates an API token for the rest"
CSRF=$(curl -sf -c "$JARS/ann.jar" "${json[@]}" -X POST "$API/sessions" \
  -d "{\"email\":\"$ANN\",\"password\":\"ann-password-1\"}" | jq -r .csrfToken)
TOKEN=$(curl -sf -b "$JARS/ann.jar" -H "x-csrf-token: $CSRF" "${json[@]}" -X POST "$API/me/api-tokens" \
  -d '{"name":"walkthrough"}' | jq -r .token)
ann=(-H "authorization: Bearer $TOKEN" "${json[@]}")

echo "3. Ann creates a business account"
ACCOUNT=$(curl -sf "${ann[@]}" -X POST "$API/accounts" -d '{"name":"Acme Widgets Inc.","street":"1 Main St",
  "city":"Springfield","country":"US","state":"IL","zip":"62701","phone":"+1 217 555 0100"}' | jq -r .account.id)
curl -sf "${ann[@]}" "$API/accounts/$ACCOUNT" | jq -c '.account | {name, supportCode, state}'

echo "4. Ann invites Bob; Bob opens the emailed link and joins, creating his login in the same step"
curl -sf "${ann[@]}" -X POST "$API/accounts/$ACCOUNT/invitations" -d "{\"emails\":[\"$BOB\"],\"language\":\"en\"}" | jq -c '.invited[0] | {email, state}'
sleep 2
INVITE=$(mailed_token "$BOB")
curl -sf "$API/invitations/$INVITE" | jq -c .
BOB_ID=$(curl -sf "${json[@]}" -X POST "$API/invitations/$INVITE/accept" \
  -d '{"firstName":"Bob","lastName":"Builder","password":"bob-password-1"}' | jq -r .user.id)

echo "5. Ann promotes Bob to Account Administrator"
curl -sf "${ann[@]}" -X PATCH "$API/accounts/$ACCOUNT/members/$BOB_ID" -d '{"role":"admin"}' | jq -c '.member | {email, role, status}'

echo "6. Ann blocks Bob: his session loses the account at once"
BOB_CSRF=$(curl -sf -c "$JARS/bob.jar" "${json[@]}" -X POST "$API/sessions" -d "{\"email\":\"$BOB\",\"password\":\"bob-password-1\"}" | jq -r .csrfToken)
curl -sf "${ann[@]}" -X POST "$API/accounts/$ACCOUNT/members/$BOB_ID/block" | jq -c '.member | {email, status}'
curl -s -b "$JARS/bob.jar" "$API/accounts/$ACCOUNT" | jq -c .error

echo "7. Ann removes Bob; he is told by email"
curl -sf "${ann[@]}" -X DELETE "$API/accounts/$ACCOUNT/members/$BOB_ID"; echo
curl -s -b "$JARS/bob.jar" "$API/accounts/$ACCOUNT" | jq -c .error.code
sleep 2
curl -sf "$API/dev/mailbox?to=$BOB" | jq -r '.items[].subject'

echo "8. The audit log tells the story"
curl -sf "${ann[@]}" "$API/accounts/$ACCOUNT/audit-events" | jq -r '.items[] | "\(.createdAt)  \(.actorEmail)  \(.action)"'
: "${BOB_CSRF}"
