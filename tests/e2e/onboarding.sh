#!/usr/bin/env bash
# End to end, issue 12: a new member from its application to production,
# through HTTP only (curl + jq for the portal and the member; the operator's
# steps with ixapictl), every part real: PostgreSQL (tests/with-temp-pg.sh),
# ixapid with its workers, an SMTP sink (the mails read back and asserted),
# a webhook receiver (tests/tools/webhook-sink.py: every delivery's HMAC is
# checked here), ixapi-switchd on a namespace lab whose free ports p1..p4
# are the demo exchange's 10G ports at Science Park DC, the quarantine gate.
#   portal key: application -> refusals (private ASN, taken ASN, a facility
#   the exchange does not serve, a missing contact role), each a problem with
#   its status that changes nothing (row counts before/after) -> operator 1:
#   colocation confirmation, approval; operator 1 again: refused (409);
#   operator 2 (a second operator key): management approval -> the
#   applicant's credentials, once -> the agreement mail (PDF, to the contract
#   signer) -> a forged and a replayed signature callback refused, the real
#   one (HMAC over the exact body) taken -> port assignment (auto policy; an
#   assignment before the signature refused) -> the LOA mail to the technical
#   contact -> the member (its new key) orders its peering-LAN config: the
#   port in the quarantine bridge, the gate refuses a second MAC behind the
#   router (it stays testing), the clean router passes a re-test,
#   consumer_side_ready -> production, the route server answers ->
#   current_billing_start_date = today. A second application waits in
#   quarantine: its day-30 job (made due in SQL) sets its billing date. A
#   third is rejected: its reason is shown, anything on it is refused.
#   Events: GET /events with the cursor shows every step once; the webhook
#   receiver got them, signed.
# Usage: tests/e2e/onboarding.sh BUILD_DIR (root needed; skipped without).
# Without DATABASE_URL it runs itself under tests/with-temp-pg.sh.
set -uo pipefail
cd "$(dirname "$0")/../.."
BUILD=${1:-build}
. tests/lib/lab.sh
. tests/lib/smtp.sh

lab_need_root e2e-onboarding "network namespaces, veth pairs and nftables"
[ -n "${DATABASE_URL:-}" ] || exec tests/with-temp-pg.sh "$0" "$@"
IXAPID=$PWD/$BUILD/ixapid
SWITCHD=$PWD/$BUILD/ixapi-switchd
CTL=$PWD/$BUILD/ixapictl
PY=/usr/bin/python3
lab_need_tools e2e-onboarding ip curl jq nft ping psql openssl sha256sum pdftotext

lab_new onb
chmod 755 "$TMP"
ADAPTER_PID=
SERVER_PID=
SMTP_PID=
HOOK_PID=
PINGER_PID=
cleanup()
{
	# shellcheck disable=SC2086 # the unset ones vanish
	stop_pids $PINGER_PID $SERVER_PID $ADAPTER_PID $SMTP_PID $HOOK_PID
	scripts/lab.sh down "$P"
	e2e_logs ixapi-switchd
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

e2e_ports
HOOK_PORT=$(free_port)
URL=http://127.0.0.1:$ADAPTER_PORT # the adapter's, for api
T0=$EPOCHREALTIME

# ---------------------------------------------------------------- helpers
check()
{ # lab.sh's, and with E2E_KEEP_LOGS the last HTTP answer of a failed check
	local what=$1
	shift
	if "$@"; then
		echo "  ok: $what" >&3
	else
		echo "  FAIL: $what" >&3
		[ -z "${E2E_KEEP_LOGS:-}" ] || echo "    (last answer: ${STATUS:-} $(head -c 300 <<<"${BODY:-}")) ${CTL_ERR:-}" >&3
		failures=$((failures + 1))
	fi
}
step()
{ # a heading with the seconds since the start
	echo "-- $* (+$(elapsed "$T0")s)"
}
show_problem()
{ # the last answer's problem, one line (for the output)
	jq -c '{status, detail} + (if (.properties // []) != [] then {properties} else {} end)' <<<"$BODY" 2>/dev/null |
		cut -c1-220
}
is_problem()
{ # STATUS: the last answer has it and is an RFC 7807 problem (JSON, same status, a title)
	[ "$STATUS" = "$1" ] && jqb --argjson s "$1" '.status == $s and (.title | length > 0)' <<<"$BODY" >/dev/null
}
names_property()
{ # NAME: the problem names it (IX-API's properties[].name, or its detail)
	jqb --arg n "$1" '[(.properties // [] | .[].name), .detail] | map(select(. != null)) |
		map(tostring | startswith($n)) | any' <<<"$BODY" >/dev/null
}
counts()
{ # what a refusal must leave alone: the onboarding tables and what they create
	sql "SELECT concat_ws(' ', (SELECT count(*) FROM applications), (SELECT count(*) FROM accounts),
		(SELECT count(*) FROM account_asns), (SELECT count(*) FROM contacts),
		(SELECT count(*) FROM role_assignments), (SELECT count(*) FROM connections),
		(SELECT count(*) FROM port_reservations WHERE port IS NOT NULL), (SELECT count(*) FROM api_keys),
		(SELECT count(*) FROM agreements WHERE state = 'signed'), (SELECT count(*) FROM signature_callbacks),
		(SELECT count(*) FROM mails), (SELECT count(*) FROM events),
		(SELECT count(*) FROM jobs WHERE kind LIKE 'onboarding.%' OR kind LIKE 'agreement.%'),
		(SELECT string_agg(id || ':' || step, ',' ORDER BY id) FROM applications))"
}
http_counts()
{ # the same seen through the API by operator 1: applications and accounts
	call GET /applications "$OP1"
	local a=$BODY
	call GET /accounts "$OP1"
	echo "$(jq length <<<"$a") $(jq length <<<"$BODY")"
}
refused()
{ # DESCRIPTION STATUS PROPERTY METHOD PATH TOKEN [BODY]: a problem with
	# STATUS (naming PROPERTY unless it is -) and nothing written
	local what=$1 want=$2 prop=$3
	shift 3
	local before hbefore
	before=$(counts)
	hbefore=$(http_counts)
	call "$@"
	local got=$STATUS problem=$BODY
	check "$what: $want, a problem ($(show_problem))" is_problem "$want"
	[ "$prop" = - ] || check "  ... naming $prop" names_property "$prop"
	BODY=$problem
	check "  ... and nothing changed (rows and GET /applications, /accounts)" \
		[ "$(counts)/$(http_counts)" = "$before/$hbefore" ]
	STATUS=$got
	BODY=$problem
}
app()
{ # ID TOKEN: GET /applications/ID into APP_JSON
	call GET "/applications/$1" "$2"
	APP_JSON=$BODY
}
step_is()
{ # ID STEP
	app "$1" "$OP1"
	[ "$(jq -r .step <<<"$APP_JSON")" = "$2" ]
}
account_tags()
{ # ACCOUNT TOKEN: its status entries' tags, sorted, comma-separated
	call GET "/accounts/$1" "$2"
	jq -r '[.status // [] | .[].tag] | sort | join(",")' <<<"$BODY"
}
mails_json()
{ # the sink's messages (JSON array), the attachments written to $TMP/att
	mkdir -p "$TMP/att"
	$PY tests/tools/mails-json.py "$SMTP_DIR" "$TMP/att" 2>/dev/null || echo '[]'
}
mail_to()
{ # RECIPIENT ATTACHMENT_SUFFIX: true once a mail to RECIPIENT with such an attachment is in the sink; MAIL = it
	MAIL=$(mails_json | jq -c --arg r "$1" --arg s "$2" '[.[] | select((.rcpt_tos | index($r)) and
		(.attachments | map(.name | endswith($s)) | any))] | last // empty')
	[ -n "$MAIL" ]
}
hmac_b64()
{ # KEY < BODY: base64(HMAC-SHA256(KEY, BODY)), DocuSign Connect's X-DocuSign-Signature-1
	openssl dgst -sha256 -hmac "$1" -binary | base64 | tr -d '\n'
}
callback()
{ # BODY [SIGNATURE]: POST /agreements/signature-callback, no token
	local sig=${2-$(printf '%s' "$1" | hmac_b64 "$ESIGN_KEY")}
	STATUS=$(curl -s -o "$TMP/body" -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
		${sig:+-H "X-DocuSign-Signature-1: $sig"} --data-binary "$1" "$API/agreements/signature-callback")
	BODY=$(cat "$TMP/body")
}
ctl()
{ # [--as operator2] COMMAND ARGS...: ixapictl with operator 1's key (or
	# operator 2's), its JSON in CTL_OUT, its problem line in CTL_ERR
	"$CTL" --url "$API" --credentials "$TMP/operators.json" --json "$@" >"$TMP/ctl.out" 2>"$TMP/ctl.err"
	local rc=$?
	CTL_OUT=$(cat "$TMP/ctl.out")
	CTL_ERR=$(head -c 300 "$TMP/ctl.err")
	return $rc
}
token_of()
{ # FILE ROLE: a token for the key in a credentials file
	curl -s -X POST "$API/auth/token" -H 'Content-Type: application/json' \
		-d "$(jq ".$2 | {api_key, api_secret}" "$1")" | jq -r .access_token
}
application_body()
{ # TYPE ASN [JQ_FILTER]: an application body (the filter edits it)
	jq -n --arg type "$1" --argjson asn "$2" --arg fac "$FACILITY" --arg po "$OFFERING" '{
		type: $type,
		legal_entity: {name: "Example Networks \($asn) B.V.", registration_number: "NL-KVK-\($asn)",
			address: {country: "NL", locality: "Amsterdam", postal_code: "1098 XG",
				street_address: "Science Park 105"}},
		asns: [{asn: $asn, registry: "ripe_ncc"}],
		articles_of_association_accepted: ($type == "member"),
		facility: $fac,
		colocation_statement: "Rack 12.04 at Science Park DC under contract SP-\($asn)",
		contacts: [
			{role: "contract_signer", name: "Clara Signer", email: "signer-\($asn)@example.net",
			 telephone: "+31201110001"},
			{role: "technical", name: "Tom Technical", email: "tech-\($asn)@example.net", telephone: "+31201110002"},
			{role: "noc", name: "Example NOC", email: "noc-\($asn)@example.net", telephone: "+31201110003"},
			{role: "billing", name: "Bill Billing", email: "billing-\($asn)@example.net", telephone: "+31201110004"}],
		port_order: {product_offering: $po, quantity: 1}
	}' | jq -c "${3:-.}"
}

# ---------------------------------------------------------------- set-up
echo "e2e-onboarding: lab $P, ixapid :$API_PORT, ixapi-switchd :$ADAPTER_PORT, webhooks :$HOOK_PORT"
export IXAPI_JWT_KEY_FILE=$TMP/jwt.key
"$IXAPID" migrate >"$TMP/migrate.log" 2>&1 || fatal "ixapid migrate (see $TMP/migrate.log)"
"$IXAPID" seed-demo --credentials "$TMP/credentials.json" >"$TMP/seed.log" 2>&1 ||
	fatal "ixapid seed-demo: $(tail -n 3 "$TMP/seed.log")"
# A second operator: seed-demo writes fresh keys (operator, member, portal)
# when its credentials file is new; two operator keys are two operators.
"$IXAPID" seed-demo --credentials "$TMP/credentials2.json" >>"$TMP/seed.log" 2>&1 ||
	fatal "ixapid seed-demo (second keys): $(tail -n 3 "$TMP/seed.log")"
# A facility with no PoP and no device: one the exchange does not serve.
sql "INSERT INTO facilities (name, metro_area, address_country, address_locality, postal_code, street_address,
	organisation_name) SELECT 'Elsewhere DC', id, 'NL', 'Amsterdam', '1000 AA', 'Nowhere 1', 'Elsewhere B.V.'
	FROM metro_areas LIMIT 1" >/dev/null || fatal "the unserved facility"

# The lab: routers m1..m4 on p1..p4 (the 10G ports of ams-sp-sw1 at Science
# Park DC, all free: the auto-assign policy picks among them) and a route
# server's stand-in rs1 at 192.0.2.1 on the peering bridge.
scripts/lab.sh up "$P" m1 m2 m3 m4 rs1 >/dev/null || fatal "lab up"
ip -n "$P-rs1" addr add 192.0.2.1/24 dev eth0
lab_secret "$TMP/adapter.secret"
chmod 600 "$TMP/adapter.secret"
"$SWITCHD" --netns "$SW" --secret-file "$TMP/adapter.secret" --ports p1,p2,p3,p4,rs1 --port "$ADAPTER_PORT" \
	2>"$TMP/adapter.log" &
ADAPTER_PID=$!
wait_api /v1/health || fatal "ixapi-switchd does not answer"
api PUT /v1/ports/rs1 '{"admin_state":"up","service":"peering","vlan":null,"mac_lock":false,
	"allowed_macs":[],"lag_members":[]}'
check "ixapi-switchd serves p1..p4 and rs1; rs1 on the peering bridge" [ "$(master_of rs1)" = s-peering ]

# The SMTP sink (tests/tools/smtp-sink.py: AUTH required, its first DATA
# answered 451 so the first mail is retried) and the webhook receiver (its
# first POST answered 503)
SMTP_PASSWORD=smtp-$(head -c 12 /dev/urandom | base64 | tr -d '/+=')
smtp_sink_start "$TMP/mail" --auth "onboarding:$SMTP_PASSWORD" --fail-first 1 || fatal "the SMTP sink"
$PY tests/tools/webhook-sink.py "$HOOK_PORT" "$TMP/hooks.jsonl" --fail-first 1 >"$TMP/hooks.log" 2>&1 &
HOOK_PID=$!
listening() { [ -n "$(ss -Hltn "( sport = :$1 )")" ]; }
wait_for 10 listening "$HOOK_PORT" || fatal "the webhook receiver does not listen"

ESIGN_KEY=$(head -c 24 /dev/urandom | base64)
jq -n --arg url "http://127.0.0.1:$ADAPTER_PORT" '{switch_adapters: [{name: "lab", url: $url,
	secret_file: "adapter.secret", devices: ["ams-sp-sw1.demo-ix.net"]}]}' >"$TMP/adapters.json"
IXAPI_PORT=$API_PORT IXAPI_LISTEN=127.0.0.1 IXAPI_ADAPTERS_FILE=$TMP/adapters.json IXAPI_WORKERS=2 \
	IXAPI_JOB_POLL_MS=300 IXAPI_JOB_BACKOFF_BASE_MS=100 IXAPI_JOB_BACKOFF_CAP_MS=400 IXAPI_QUARANTINE_SECONDS=3 \
	IXAPI_SMTP_URL=$SMTP_URL IXAPI_SMTP_USER=onboarding IXAPI_SMTP_PASSWORD=$SMTP_PASSWORD \
	IXAPI_MAIL_FROM=onboarding@demo-ix.net \
	IXAPI_ESIGN_HMAC_KEY=$ESIGN_KEY IXAPI_PORT_ASSIGNMENT=auto IXAPI_WEBHOOK_ALLOW_NETS=127.0.0.1/32 \
	"$IXAPID" serve >"$TMP/ixapid.log" 2>&1 &
SERVER_PID=$!
e2e_wait_ixapid
OP1=$(token_of "$TMP/credentials.json" operator)
OP2=$(token_of "$TMP/credentials2.json" operator)
PORTAL=$(token_of "$TMP/credentials.json" portal)
for t in OP1 OP2 PORTAL; do
	[ -n "${!t}" ] && [ "${!t}" != null ] || fatal "no token $t"
done
jq -s '{operator: .[0].operator, operator2: .[1].operator}' "$TMP/credentials.json" "$TMP/credentials2.json" \
	>"$TMP/operators.json"
[ -x "$CTL" ] || fatal "$CTL is missing (make $BUILD/ixapictl)"
call GET /facilities "$OP1"
FACILITY=$(jq -r '.[] | select(.name == "Science Park DC") | .id' <<<"$BODY")
ELSEWHERE=$(jq -r '.[] | select(.name == "Elsewhere DC") | .id' <<<"$BODY")
call GET /product-offerings "$OP1"
OFFERING=$(jq -r '.[] | select(.name == "AMS-SP-10G") | .id' <<<"$BODY")
[ -n "$FACILITY" ] && [ -n "$OFFERING" ] || fatal "no facility/offering in the catalog"

step "the portal's webhook"
EV0=$(sql "SELECT coalesce(max(id), 0) FROM events") # the events before it: not delivered
call POST /webhooks "$PORTAL" "$(jq -nc --arg u "http://127.0.0.1:$HOOK_PORT/ixapi" '{url: $u}')"
check "POST /webhooks by the portal key: 201 with its secret (shown once)" \
	jqb '.secret | length >= 16' <<<"$BODY" >/dev/null
HOOK=$(jq -r .id <<<"$BODY")
HOOK_SECRET=$(jq -r .secret <<<"$BODY")
call GET "/webhooks/$HOOK" "$PORTAL"
check "GET /webhooks/{id} does not show the secret again" \
	bash -c "[ $STATUS = 200 ] && ! grep -qF -- '$HOOK_SECRET' '$TMP/body'"

# ---------------------------------------------------------------- application
step "refusals of the submission"
ASN=196620 # public (RFC 6996/7300/5398 aside), held by nobody
refused "a private ASN (64512)" 400 asns POST /applications "$PORTAL" \
	"$(application_body member 64512)"
refused "a documentation ASN (64500)" 400 asns POST /applications "$PORTAL" \
	"$(application_body member 64500)"
refused "an ASN held by another account (the demo member's 206238)" 400 asns POST /applications "$PORTAL" \
	"$(application_body member 206238)"
refused "a facility the exchange does not serve (Elsewhere DC)" 400 facility POST /applications "$PORTAL" \
	"$(application_body member "$ASN" ".facility = \"$ELSEWHERE\"")"
refused "a missing contact role (no billing contact)" 400 contacts POST /applications "$PORTAL" \
	"$(application_body member "$ASN" '.contacts |= map(select(.role != "billing"))')"
refused "a member without the articles of association" 400 articles_of_association_accepted \
	POST /applications "$PORTAL" "$(application_body member "$ASN" '.articles_of_association_accepted = false')"

step "the application"
call POST /applications "$PORTAL" "$(application_body member "$ASN")"
check "POST /applications by the portal key: 201" [ "$STATUS" = 201 ]
[ "$STATUS" = 201 ] || fatal "no application: $BODY"
A1=$(jq -r .id <<<"$BODY")
ACC1=$(jq -r .account <<<"$BODY")
check "step review, type member" jqb '.step == "review" and .type == "member"' <<<"$BODY" >/dev/null
call GET "/accounts/$ACC1" "$OP1"
check "the new account: requested, the legal name" \
	jqb '.state == "requested" and (.legal_name // .name | startswith("Example Networks"))' <<<"$BODY" >/dev/null
TAGS=$(account_tags "$ACC1" "$OP1")
check "its status: review (due in 1-2 working days), colocation, management approval: $TAGS" \
	[ "$TAGS" = onboarding.colocation,onboarding.management_approval,onboarding.review ]
call GET "/accounts/$ACC1" "$OP1"
DUE=$(jq -r '.status[] | select(.tag == "onboarding.review") | .attrs.due_at' <<<"$BODY")
check "onboarding.review's due_at ($DUE) is 17:00 UTC of a weekday after today" bash -c \
	"[ \$(date -u -d '$DUE' +%H:%M) = 17:00 ] && [ \$(date -u -d '$DUE' +%u) -le 5 ] &&
	 [ \$(date -u -d '$DUE' +%s) -gt \$(date -u +%s) ]"
call GET /applications "$PORTAL"
check "GET /applications by the portal: its application" jqb --arg a "$A1" 'map(.id) | index($a) != null' \
	<<<"$BODY" >/dev/null
call GET /connections "$PORTAL"
check "a portal key may call nothing else (GET /connections: 403)" [ "$STATUS" = 403 ]
refused "the same ASN again, by another application" 400 asns POST /applications "$PORTAL" \
	"$(application_body customer "$ASN")"

# ---------------------------------------------------------------- review
step "review"
refused "approval before the colocation confirmation" 409 - POST "/applications/$A1/approve" "$OP1"
refused "the portal may not approve" 403 - POST "/applications/$A1/approve" "$PORTAL"
check "ixapictl confirm-colocation $A1 (operator 1)" \
	ctl confirm-colocation "$A1" --confirmation "Science Park DC confirmed rack 12.04 (ticket 1234)"
check "ixapictl approve $A1 (operator 1): the review approval" ctl approve "$A1"
check "still in review, waiting for the management approval" step_is "$A1" review
refused "credentials before the final approval" 409 - POST "/applications/$A1/credentials" "$PORTAL"
refused "a second approval by the same operator" 409 - POST "/applications/$A1/approve" "$OP1"
ctl approve "$A1"
rc=$?
check "  ... ixapictl approve $A1 by operator 1 again: exit 1, the 409 shown ($CTL_ERR)" \
	bash -c "[ $rc = 1 ] && grep -q 409 '$TMP/ctl.err'"
check "ixapictl --as operator2 approve $A1: the management approval" ctl --as operator2 approve "$A1"
check "step agreement" step_is "$A1" agreement
CONN1=$(jq -r .connection <<<"$APP_JSON")
call GET "/accounts/$ACC1" "$OP1"
check "the account is in production" jqb '.state == "production"' <<<"$BODY" >/dev/null
TAGS=$(account_tags "$ACC1" "$OP1")
check "... its status: onboarding.agreement_unsigned only: $TAGS" [ "$TAGS" = onboarding.agreement_unsigned ]
call GET "/connections/$CONN1" "$OP1"
check "its connection $CONN1: requested, onboarding.agreement_unsigned" jqb '.state == "requested" and
	(.status | map(select(.tag == "onboarding.agreement_unsigned")) | length == 1)' <<<"$BODY" >/dev/null

step "the applicant's credentials"
call POST "/applications/$A1/credentials" "$PORTAL"
check "POST .../credentials by the submitter: its first key and secret" \
	jqb '(.api_key | length > 0) and (.api_secret | length > 0)' <<<"$BODY" >/dev/null
jq '{member: {api_key, api_secret}}' <<<"$BODY" >"$TMP/member.json"
MEMBER_SECRET=$(jq -r .api_secret <<<"$BODY")
refused "the credentials a second time" 409 - POST "/applications/$A1/credentials" "$PORTAL"
MEMBER=$(token_of "$TMP/member.json" member)
call GET "/accounts/$ACC1" "$MEMBER"
check "the new key logs in and reads its account" [ "$STATUS" = 200 ]

# ---------------------------------------------------------------- agreement
step "agreement"
check "the agreement mail reaches the contract signer, agreement.pdf attached" \
	wait_for 20 mail_to "signer-$ASN@example.net" .pdf
echo "  approval -> agreement mail in the sink: ${WAITED}s"
AGR1=$(jq -r .agreement <<<"$(app "$A1" "$OP1"; echo "$APP_JSON")")
call GET "/agreements/$AGR1" "$PORTAL"
AGR_JSON=$BODY
ENVELOPE=$(jq -r .envelope_id <<<"$AGR_JSON")
check "GET /agreements/{id} by the portal: sent, member variant" \
	jqb '.state == "sent" and .variant == "member"' <<<"$AGR_JSON" >/dev/null
PDF_FILE=$(jq -r '.attachments[0].file' <<<"$MAIL")
check "the attachment is a PDF whose SHA-256 is the agreement's" bash -c \
	"[ \"\$(head -c 5 '$PDF_FILE')\" = %PDF- ] &&
	 [ \$(sha256sum <'$PDF_FILE' | cut -c1-64) = $(jq -r .document_sha256 <<<"$AGR_JSON") ]"
curl -s -o "$TMP/doc.pdf" -H "Authorization: Bearer $MEMBER" "$API/agreements/$AGR1/document"
check "GET .../document by the member: the same PDF" cmp -s "$TMP/doc.pdf" "$PDF_FILE"
refused "port assignment while the agreement is unsigned" 409 - POST "/applications/$A1/port-assignment" "$OP1" '{}'
check "  ... ixapictl assign-ports $A1: exit 1" not ctl assign-ports "$A1"

NOW=$(date -u +%Y-%m-%dT%H:%M:%S.000Z)
# DocuSign Connect's JSON (SIM): the signed PDF in envelopeDocuments (here
# the document mailed, as the provider returns it signed)
base64 -w0 "$PDF_FILE" >"$TMP/signed.b64"
CB=$(jq -nc --arg env "$ENVELOPE" --arg now "$NOW" --arg email "signer-$ASN@example.net" \
	--rawfile pdf "$TMP/signed.b64" '{
	event: "envelope-completed", apiVersion: "v2.1", generatedDateTime: $now,
	data: {accountId: "1", envelopeId: $env, envelopeSummary: {status: "completed", completedDateTime: $now,
		recipients: {signers: [{name: "Clara Signer", email: $email, status: "completed", signedDateTime: $now}]},
		envelopeDocuments: [{type: "content", name: "agreement.pdf", PDFBytes: $pdf}]}}}')
SIGNED_SHA=$(sha256sum <"$PDF_FILE" | cut -c1-64)
before=$(counts)
callback "$CB" "$(printf '%s' "$CB" | hmac_b64 not-the-key)"
check "a signature callback with a forged signature: 401 ($(show_problem))" is_problem 401
callback "$CB" ""
check "a signature callback without a signature: 401" is_problem 401
OLD=$(jq -c --arg t "$(date -u -d '-25 hours' +%Y-%m-%dT%H:%M:%S.000Z)" '.generatedDateTime = $t' <<<"$CB")
callback "$OLD"
check "a signature callback generated 25 h ago: 400" is_problem 400
check "  ... nothing changed" [ "$(counts)" = "$before" ]
callback "$CB"
check "the signed callback (HMAC over the exact body): 2xx" [ "${STATUS:0:1}" = 2 ]
after=$(counts)
callback "$CB"
check "the same callback replayed: 409" is_problem 409
check "  ... nothing changed" [ "$(counts)" = "$after" ]
call GET "/agreements/$AGR1" "$PORTAL"
check "the agreement: signed by Clara Signer, the SHA-256 of the signed document" jqb --arg h "$SIGNED_SHA" \
	'.state == "signed" and .signer_name == "Clara Signer" and .signed_sha256 == $h' <<<"$BODY" >/dev/null

# ---------------------------------------------------------------- assignment
step "port assignment (auto policy)"
check "the application reaches quarantine (ports assigned)" wait_for 20 step_is "$A1" quarantine
echo "  signature -> ports assigned: ${WAITED}s"
call GET "/connections/$CONN1" "$MEMBER"
check "the connection: allocated, no agreement_unsigned entry" jqb '.state == "allocated" and
	(.status | map(select(.tag == "onboarding.agreement_unsigned")) | length == 0)' <<<"$BODY" >/dev/null
PORT1=$(sql "SELECT p.name FROM ports p WHERE p.connection = $CONN1")
N1=${PORT1#p}
check "its port is a free 10G port at Science Park DC: $PORT1" grep -qx 'p[1-4]' <<<"$PORT1"
call GET "/port-reservations?connection=$CONN1" "$MEMBER"
check "its reservation: allocated, the exchange-side demarcation named" \
	jqb '.[0].state == "allocated" and (.[0].exchange_side_demarc | length > 0)' <<<"$BODY" >/dev/null
DEMARC=$(jq -r '.[0].exchange_side_demarc' <<<"$BODY")
check "the LOA mail reaches the technical contact, the LOA attached" \
	wait_for 20 mail_to "tech-$ASN@example.net" .pdf
jq -r .text <<<"$MAIL" >"$TMP/loa-mail.txt"
check "  ... naming the port and its demarcation ($DEMARC)" grep -qF -- "$DEMARC" "$TMP/loa-mail.txt"
check "  ... telling how to activate it (quarantine, consumer_side_ready)" grep -q consumer_side_ready "$TMP/loa-mail.txt"
check "  ... no peering-LAN config yet: how to order one (POST .../network-service-configs)" \
	grep -q "POST /api/v2/network-service-configs" "$TMP/loa-mail.txt"
LOA_PDF=$(jq -r '[.attachments[] | select(.name | endswith(".pdf"))][0].file' <<<"$MAIL")
check "  ... the LOA attached ($(jq -r '[.attachments[].name] | join(",")' <<<"$MAIL")) names $DEMARC (pdftotext)" \
	bash -c "pdftotext '$LOA_PDF' - | tr -s ' \n' ' ' | grep -qF -- '$DEMARC'"
echo "  the mail to the technical contact, as received (first lines):"
sed -n 1,14p "$TMP/loa-mail.txt" | cut -c1-110 | sed 's/^/    | /'
TAGS=$(account_tags "$ACC1" "$MEMBER")
check "the account's status (the member reads it): onboarding.quarantine only: $TAGS" [ "$TAGS" = onboarding.quarantine ]

# ---------------------------------------------------------------- quarantine
step "the member's peering-LAN config: quarantine, the gate, production"
ROUTER=m$N1
MAC=$(printf '02:00:00:00:00:%02x' "$N1")
ip netns exec "$P-$ROUTER" sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1 \
	net.ipv6.conf.eth0.autoconf=0 net.ipv4.conf.eth0.arp_ignore=1 net.ipv4.conf.eth0.arp_announce=1
call POST /macs "$MEMBER" "$(jq -nc --arg a "$MAC" --arg acc "$ACC1" \
	'{managing_account: $acc, consuming_account: $acc, address: $a}')"
check "the member registers its router's MAC $MAC: 201" [ "$STATUS" = 201 ]
MAC_ID=$(jq -r .id <<<"$BODY")
call GET /network-services "$MEMBER"
LAN=$(jq -r '[.[] | select(.type == "exchange_lan")][0].id' <<<"$BODY")
call GET /role-assignments "$MEMBER"
RAS=$(jq -c '[.[].id]' <<<"$BODY")
call POST /network-service-configs "$MEMBER" "$(jq -nc --arg lan "$LAN" --arg conn "$CONN1" --arg mac "$MAC_ID" \
	--arg acc "$ACC1" --argjson ras "$RAS" --argjson asn "$ASN" '{type: "exchange_lan", network_service: $lan,
	connection: $conn, managing_account: $acc, consuming_account: $acc, billing_account: $acc,
	vlan_config: {vlan_type: "port"}, asns: [$asn], macs: [$mac], role_assignments: $ras}')"
check "POST /network-service-configs by the member: 201" [ "$STATUS" = 201 ]
[ "$STATUS" = 201 ] || fatal "no config: $BODY"
NSC=$(jq -r .id <<<"$BODY")
ADDR=$(sql "SELECT host(address) FROM ips WHERE network_service_config = $NSC AND version = 4")
ip -n "$P-$ROUTER" addr add "$ADDR/24" dev eth0
# At first a second MAC sends from behind the router (a macvlan on its eth0,
# 02:00:00:00:00:77, asking for the route server by ARP): the gate refuses.
ip -n "$P-$ROUTER" link add link eth0 name mv0 address 02:00:00:00:00:77 type macvlan mode bridge
ip netns exec "$P-$ROUTER" sysctl -qw net.ipv6.conf.mv0.disable_ipv6=1
ip -n "$P-$ROUTER" link set mv0 up
ip -n "$P-$ROUTER" addr add 192.0.2.250/32 dev mv0
ip netns exec "$P-$ROUTER" ping -q -I mv0 -i 0.3 192.0.2.1 >/dev/null 2>&1 &
PINGER_PID=$!
nsc_state() {
	call GET "/network-service-configs/$NSC" "$MEMBER"
	[ "$(jq -r .state <<<"$BODY")" = "$1" ]
}
check "the config reaches testing" wait_for 20 nsc_state testing
check "$PORT1 is in the quarantine bridge (ip -j link)" [ "$(master_of "$PORT1")" = s-quarantine ]
check "in quarantine, the member cannot reach the route server" not pings "$ROUTER" 192.0.2.1
verdict_is() {
	call GET "/network-service-configs/$NSC" "$MEMBER"
	jqb --arg t "$1" '.status | map(select(.tag == $t)) | length == 1' <<<"$BODY" >/dev/null
}
check "the gate refuses the second MAC: quarantine.second_mac" wait_for 30 verdict_is quarantine.second_mac
echo "  testing -> verdict (failed): ${WAITED}s"
check "  ... the config stays testing, $PORT1 in the quarantine bridge" \
	bash -c "[ '$(jq -r .state <<<"$BODY")' = testing ] && [ '$(master_of "$PORT1")' = s-quarantine ]"
check "  ... the application stays in quarantine" step_is "$A1" quarantine
stop_pids "$PINGER_PID"
PINGER_PID=
ip -n "$P-$ROUTER" link del mv0
call POST "/network-service-configs/$NSC/quarantine-test" "$MEMBER"
check "the member asks for a re-test: 202" [ "$STATUS" = 202 ]
check "the re-test passes (the router sends only its own traffic)" wait_for 30 verdict_is quarantine.passed
echo "  re-test -> quarantine.passed: ${WAITED}s"
call PATCH "/network-service-configs/$NSC" "$MEMBER" '{"consumer_side_ready": true}'
check "the member's PATCH consumer_side_ready=true: 202" [ "$STATUS" = 202 ]
check "the config reaches production" wait_for 20 nsc_state production
echo "  consumer_side_ready -> production: ${WAITED}s"
check "$PORT1 is on the peering bridge" [ "$(master_of "$PORT1")" = s-peering ]
check "the member reaches the route server 192.0.2.1" pings "$ROUTER" 192.0.2.1
check "the application reaches production" wait_for 10 step_is "$A1" production
TODAY=$(date -u +%Y-%m-%d)
call GET "/connections/$CONN1" "$MEMBER"
check "the connection is in production with current_billing_start_date = today ($TODAY)" \
	jqb --arg d "$TODAY" '.state == "production" and .current_billing_start_date == $d' <<<"$BODY" >/dev/null
TAGS=$(account_tags "$ACC1" "$MEMBER")
check "no onboarding.* entry left on the account: '$TAGS'" not grep -q onboarding <<<"$TAGS"

# ---------------------------------------------------------------- billing day 30
step "a second application (customer): signed copy uploaded, assigned, billing on day 30"
ASN2=196621
call POST /applications "$PORTAL" "$(application_body customer "$ASN2")"
check "a customer application: 201" [ "$STATUS" = 201 ]
A2=$(jq -r .id <<<"$BODY")
ctl --as operator2 confirm-colocation "$A2" --confirmation "confirmed (ticket 1235)"
ctl --as operator2 approve "$A2"
check "one approval finishes a customer's review" step_is "$A2" agreement
mail2() { mail_to "signer-$ASN2@example.net" .pdf; }
check "its agreement mail" wait_for 20 mail2
AGR2=$(jq -r .agreement <<<"$APP_JSON")
[ "$AGR2" != null ] || { app "$A2" "$OP1"; AGR2=$(jq -r .agreement <<<"$APP_JSON"); }
cp "$(jq -r '.attachments[0].file' <<<"$MAIL")" "$TMP/signed2.pdf"
check "ixapictl agreement upload: the signed copy (operator 1)" ctl agreement upload "$AGR2" "$TMP/signed2.pdf" \
	--signer-name "Clara Signer" --signer-email "signer-$ASN2@example.net"
check "it is assigned and waits in quarantine" wait_for 20 step_is "$A2" quarantine
CONN2=$(jq -r .connection <<<"$APP_JSON")
JOB2=$(sql "SELECT id FROM jobs WHERE kind = 'onboarding.billing_start' AND payload->>'application' = '$A2'")
check "its billing job waits 30 days" [ "$(sql "SELECT run_after::date - now()::date FROM jobs WHERE id = $JOB2")" = 30 ]
sql "UPDATE applications SET ports_assigned_at = ports_assigned_at - interval '30 days' WHERE id = $A2;
	UPDATE jobs SET run_after = now() WHERE id = $JOB2" >/dev/null
DAY30=$(sql "SELECT ((ports_assigned_at AT TIME ZONE 'UTC') + interval '30 days')::date FROM applications WHERE id = $A2")
billed() {
	call GET "/connections/$CONN2" "$OP1"
	jqb --arg d "$DAY30" '.current_billing_start_date == $d' <<<"$BODY" >/dev/null
}
check "the day-30 job sets current_billing_start_date = $DAY30, still in quarantine" wait_for 20 billed
check "  ... the application stays in quarantine" step_is "$A2" quarantine

# ---------------------------------------------------------------- rejection
step "a rejected application"
ASN3=196622
call POST /applications "$PORTAL" "$(application_body customer "$ASN3")"
A3=$(jq -r .id <<<"$BODY")
ACC3=$(jq -r .account <<<"$BODY")
check "ixapictl reject $A3 --reason ..." ctl reject "$A3" --reason "The colocation contract could not be confirmed."
app "$A3" "$PORTAL"
check "the applicant reads the reason" jqb '.step == "rejected" and
	.rejection_reason == "The colocation contract could not be confirmed."' <<<"$APP_JSON" >/dev/null
call GET "/accounts/$ACC3" "$OP1"
check "its account is archived, onboarding.rejected (severity 3)" jqb '.state == "archived" and
	(.status | map(select(.tag == "onboarding.rejected" and .severity == 3)) | length == 1)' <<<"$BODY" >/dev/null
check "its ASN is released" [ "$(sql "SELECT count(*) FROM account_asns WHERE asn = $ASN3")" = 0 ]
refused "colocation confirmation on a rejected application" 409 - \
	POST "/applications/$A3/colocation-confirmation" "$OP1" '{"confirmation": "too late"}'
refused "approval of a rejected application" 409 - POST "/applications/$A3/approve" "$OP2"
refused "credentials of a rejected application" 409 - POST "/applications/$A3/credentials" "$PORTAL"

# ---------------------------------------------------------------- events, webhooks
step "events and webhooks"
EVENTS='[]'
AFTER=
for _ in $(seq 200); do
	call GET "/events?limit=7${AFTER:+&after=$AFTER}" "$PORTAL"
	[ "$STATUS" = 200 ] || break
	PAGE=$(jq -c 'if type == "array" then . else .events end' <<<"$BODY")
	[ "$(jq length <<<"$PAGE")" -gt 0 ] || break
	EVENTS=$(jq -c --argjson p "$PAGE" '. + $p' <<<"$EVENTS")
	AFTER=$(jq -r 'last.id' <<<"$PAGE")
done
check "GET /events by the portal, 7 at a time with the cursor: $(jq length <<<"$EVENTS") events, ascending, no duplicate" \
	jqb '(map(.id | tonumber) | . == (sort | unique)) and length > 10' <<<"$EVENTS" >/dev/null
STEPS=$(jq -r --arg a "$A1" '[.[] | select(.object_type == "application" and .object_id == $a) |
	(.new_value // .data).step] | map(select(. != null)) | reduce .[] as $s ([]; if last == $s then . else . + [$s] end) |
	join(",")' <<<"$EVENTS")
check "application $A1's events show every step once: $STEPS" \
	[ "$STEPS" = review,agreement,port_assignment,quarantine,production ]
check "the portal sees no event of the demo member's account" jqb --arg m "$(jq -r .member.account "$TMP/credentials.json")" \
	'map(select(.account == $m)) | length == 0' <<<"$EVENTS" >/dev/null
verify_hooks()
{ # every delivery the receiver answered 204 carries a valid signature over
	# the exact body (openssl, the bytes as received) and names its event in
	# X-IXAPI-Event and the body; HOOK_IDS = their event ids
	local ok=0 bad=0 sig ev b64 t v mac id
	HOOK_IDS=()
	while IFS=$'\t' read -r sig ev b64 id; do
		t=$(sed -n 's/^t=\([0-9]*\),v1=[0-9a-f]*$/\1/p' <<<"$sig")
		v=${sig##*,v1=}
		mac=$({
			printf '%s.' "$t"
			base64 -d <<<"$b64"
		} | openssl dgst -sha256 -hmac "$HOOK_SECRET" -r | cut -c1-64)
		if [ -n "$t" ] && [ "$mac" = "$v" ] && [ "$id" = "$ev" ]; then
			ok=$((ok + 1))
			HOOK_IDS+=("$id")
		else
			bad=$((bad + 1))
		fi
	done < <(jq -r 'select(.answered == 204) | [.headers["x-ixapi-signature"], .headers["x-ixapi-event"],
		.body_b64, (.body_b64 | @base64d | fromjson | .id)] | @tsv' "$TMP/hooks.jsonl")
	HOOKS_OK=$ok
	HOOKS_BAD=$bad
	[ "$bad" = 0 ] && [ "$ok" -gt 0 ]
}
all_delivered()
{
	call GET "/webhooks/$HOOK/deliveries" "$PORTAL"
	jqb 'map(select(.state != "delivered")) | length == 0' <<<"$(jq -c 'if type == "array" then . else .deliveries end' <<<"$BODY")" >/dev/null
}
check "every delivery is delivered (GET /webhooks/{id}/deliveries)" wait_for 30 all_delivered
check "the receiver got them signed (HMAC-SHA256 over t.body checked here)" verify_hooks
echo "  $HOOKS_OK signed deliveries, $HOOKS_BAD bad"
check "the receiver's 503 to the first POST was retried (a delivery with 2 attempts, last status 204)" \
	jqb 'map(select(.attempts >= 2 and .last_status == 204 and .state == "delivered")) | length >= 1' <<<"$BODY" >/dev/null
HOOK_LIST=$(printf '%s\n' "${HOOK_IDS[@]}" | sort -n | tr '\n' ' ')
EVENT_LIST=$(jq -r --argjson e "$EV0" '.[] | select((.id | tonumber) > $e) | .id' <<<"$EVENTS" | sort -n | tr '\n' ' ')
check "the receiver got each of the portal's events since the webhook once ($(wc -w <<<"$HOOK_LIST"))" \
	[ "$HOOK_LIST" = "$EVENT_LIST" ]
check "no secret in any event (member secret, webhook secret)" \
	[ "$(sql "SELECT count(*) FROM events WHERE concat(old_value, new_value) LIKE '%$MEMBER_SECRET%'
		OR concat(old_value, new_value) LIKE '%$HOOK_SECRET%'")" = 0 ]
check "no secret in ixapid's log (member, webhook, e-signature key, SMTP password, adapter)" \
	lacks "$TMP/ixapid.log" "$MEMBER_SECRET" "$HOOK_SECRET" "$ESIGN_KEY" "$SMTP_PASSWORD" "$SECRET"
check "no secret in any job's payload" [ "$(sql "SELECT count(*) FROM jobs WHERE payload::text LIKE '%$SMTP_PASSWORD%'
	OR payload::text LIKE '%$MEMBER_SECRET%' OR payload::text LIKE '%$HOOK_SECRET%'")" = 0 ]

step "ixapictl: the operator's view"
ctl applications --step quarantine
check "ixapictl applications --step quarantine: application $A2 only" \
	jqb --arg a "$A2" 'map(.id) == [$a]' <<<"$CTL_OUT" >/dev/null
NO_COLOR=1 "$CTL" --url "$API" --credentials "$TMP/operators.json" applications | sed 's/^/  /'
NO_COLOR=1 "$CTL" --url "$API" --credentials "$TMP/operators.json" timeline "$ACC1" >"$TMP/timeline.txt"
sed 's/^/  /' "$TMP/timeline.txt" | cut -c1-160
check "ixapictl timeline $ACC1 names every step" bash -c \
	"for s in review agreement port_assignment quarantine production; do grep -q \$s '$TMP/timeline.txt' || exit 1; done"

echo "  total: $(elapsed "$T0")s"
if [ "$failures" = 0 ]; then
	echo "e2e-onboarding: all checks passed"
else
	echo "e2e-onboarding: $failures check(s) FAILED"
	exit 1
fi
