#!/usr/bin/env bash
# The SMTP sink and tests/lib/smtp.sh, checked with curl as the client: a
# MIME message with an attachment arrives byte-exact (header, body,
# attachment read back by the helpers); STARTTLS is required (a plain
# client is refused, a client trusting the CA file gets through) with AUTH
# (wrong password refused); --fail-first K refuses K attempts with 451;
# --smtps takes implicit TLS. No database, no ixapid: a second or two.
set -uo pipefail
cd "$(dirname "$0")/../.."
. tests/lib/lab.sh
. tests/lib/smtp.sh
lab_need_tools smtp-sink-test curl openssl jq ss
"$SMTP_PYTHON" -c 'import aiosmtpd' 2>/dev/null ||
	{ echo "smtp-sink-test: python3-aiosmtpd is missing (scripts/install-deps.sh --test)" >&2; exit 1; }
TMP=$(mktemp -d)
trap 'smtp_sink_stop; rm -rf "$TMP"' EXIT

openssl req -x509 -newkey rsa:2048 -nodes -keyout "$TMP/key.pem" -out "$TMP/cert.pem" -days 1 \
	-subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1 2>/dev/null ||
	fatal "openssl req"
head -c 3000 /dev/urandom >"$TMP/att.bin"
"$SMTP_PYTHON" - "$TMP/att.bin" >"$TMP/msg.eml" <<'EOF'
import sys
from email.message import EmailMessage
m = EmailMessage()
m["From"] = "noc@ix.example"
m["To"] = "signer@member.example"
m["Subject"] = "Your connection agreement"
m.set_content("Dear signer,\nplease sign.\n")
m.add_attachment(open(sys.argv[1], "rb").read(), maintype="application", subtype="pdf", filename="agreement.pdf")
sys.stdout.buffer.write(bytes(m).replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))
EOF

quiet_jqb()
{
	jqb "$@" >/dev/null
}

send()
{ # URL [CURL ARGS...]
	local url=$1
	shift
	curl -sS --max-time 10 --mail-from noc@ix.example --mail-rcpt signer@member.example \
		--upload-file "$TMP/msg.eml" "$@" "$url" 2>>"$TMP/curl.err"
}

# 1. plain, fail-first 2
smtp_sink_start "$TMP/plain" --fail-first 2 || fatal "the sink starts"
check "first attempt refused" not send "$SMTP_URL"
check "second attempt refused" not send "$SMTP_URL"
check "nothing stored while refusing" test "$(smtp_count)" = 0
check "third attempt accepted" send "$SMTP_URL"
check "one message" smtp_wait 1 5
f=$(smtp_mail_to SIGNER@member.example)
check "found by its envelope recipient" test "$f" = "$SMTP_DIR/1.eml"
check "byte-exact as sent" cmp -s "$f" "$TMP/msg.eml"
check "subject" test "$(smtp_header "$f" Subject)" = "Your connection agreement"
check "body" test "$(smtp_body "$f")" = $'Dear signer,\nplease sign.'
check "attachment decoded" smtp_attachment "$f" agreement.pdf "$TMP/got.bin"
check "attachment byte-exact" cmp -s "$TMP/got.bin" "$TMP/att.bin"
check "no such attachment" not smtp_attachment "$f" other.pdf "$TMP/none"
check "envelope: attempt 3, no TLS" quiet_jqb '.attempt == 3 and .tls == false' <"$SMTP_DIR/1.json"
check "no recipient: nothing" not smtp_mail_to nobody@example.net
smtp_sink_stop
check "stopped: nothing listens on its port" test -z "$(ss -Htln "( sport = :$SMTP_PORT )")"

# 2. STARTTLS required + AUTH
smtp_sink_start "$TMP/tls" --starttls "$TMP/cert.pem" "$TMP/key.pem" --auth u1:s3cret || fatal "the sink starts"
check "plain client refused" not send "$SMTP_URL" -u u1:s3cret
check "wrong password refused" not send "$SMTP_URL" --ssl-reqd --cacert "$TMP/cert.pem" -u u1:wrong
check "untrusted certificate refused" not send "$SMTP_URL" --ssl-reqd -u u1:s3cret
check "STARTTLS + AUTH accepted" send "$SMTP_URL" --ssl-reqd --cacert "$TMP/cert.pem" -u u1:s3cret
check "one message" smtp_wait 1 5
check "only that one" test "$(smtp_count)" = 1
check "envelope: TLS, user u1" quiet_jqb '.tls == true and .auth_user == "u1"' <"$SMTP_DIR/1.json"
smtp_sink_stop

# 3. implicit TLS
smtp_sink_start "$TMP/smtps" --smtps "$TMP/cert.pem" "$TMP/key.pem" || fatal "the sink starts"
check "smtps URL" test "${SMTP_URL%%:*}" = smtps
check "smtps accepted" send "$SMTP_URL" --cacert "$TMP/cert.pem"
check "one message over TLS" smtp_wait 1 5
check "envelope: TLS" quiet_jqb '.tls == true' <"$SMTP_DIR/1.json"
smtp_sink_stop

if [ "$failures" != 0 ]; then
	echo "smtp-sink-test: $failures check(s) failed" >&2
	cat "$TMP/curl.err" >&2
	exit 1
fi
echo "smtp-sink-test: all checks passed"
