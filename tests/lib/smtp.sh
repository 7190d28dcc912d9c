# Shell helpers around the SMTP sink (tests/tools/smtp-sink.py, Debian's
# python3-aiosmtpd under /usr/bin/python3); sourced, never run. Works with or
# without tests/lib/lab.sh (its free_port is used when it is loaded).
#   smtp_sink_start DIR [SINK ARGS...]: starts the sink on a free port writing
#     DIR/<n>.eml (+ <n>.json, the envelope), waits until it listens (10 s);
#     sets SMTP_PID, SMTP_PORT, SMTP_DIR, SMTP_URL (smtp://127.0.0.1:PORT, or
#     smtps:// with --smtps); its log is DIR/sink.log. SINK ARGS: --starttls
#     CERT KEY, --smtps CERT KEY, --auth USER:PASS, --fail-first K.
#   smtp_sink_stop: SIGTERM to $SMTP_PID (by PID only) and wait
#   smtp_count: how many messages DIR holds
#   smtp_wait N [SECONDS]: true once DIR holds N messages or more (30 s)
#   smtp_mail_to ADDR: the path of the newest message whose envelope
#     recipients include ADDR (empty, false when none)
#   smtp_header FILE NAME: the header's value (RFC 2047 decoded)
#   smtp_body FILE: the text/plain part, transfer-decoded (LF line ends)
#   smtp_attachment FILE NAME OUT: writes the attachment NAME, decoded, to OUT
#     (false when the message has none of that name)
# Typical use (with IXAPI_SMTP_URL=$SMTP_URL in ixapid's environment):
#   smtp_sink_start "$TMP/mail"; trap smtp_sink_stop EXIT
#   smtp_wait 1 && f=$(smtp_mail_to signer@example.net)
#   smtp_attachment "$f" agreement.pdf "$TMP/agreement.pdf"

SMTP_SINK=${SMTP_SINK:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../tools" && pwd)/smtp-sink.py}
SMTP_PYTHON=${SMTP_PYTHON:-/usr/bin/python3}

smtp_free_port()
{
	if declare -F free_port >/dev/null; then
		free_port
		return
	fi
	local p
	for _ in $(seq 50); do
		p=$((10000 + RANDOM % 20000))
		if [ -z "$(ss -Htan "( sport = :$p )" 2>/dev/null)" ]; then
			echo "$p"
			return 0
		fi
	done
	return 1
}

smtp_sink_start()
{ # DIR [SINK ARGS...]
	local dir=$1 attempt scheme=smtp
	shift
	[[ " $* " == *" --smtps "* ]] && scheme=smtps
	mkdir -p "$dir" || return 1
	SMTP_DIR=$(cd "$dir" && pwd)
	# a port taken between the pick and the bind: the sink exits, pick again
	for attempt in 1 2 3; do
		SMTP_PORT=$(smtp_free_port) || return 1
		"$SMTP_PYTHON" "$SMTP_SINK" --port "$SMTP_PORT" --dir "$SMTP_DIR" "$@" >"$SMTP_DIR/sink.log" 2>&1 &
		SMTP_PID=$!
		for _ in $(seq 100); do
			if grep -q '^listening' "$SMTP_DIR/sink.log" 2>/dev/null; then
				SMTP_URL=$scheme://127.0.0.1:$SMTP_PORT
				return 0
			fi
			kill -0 "$SMTP_PID" 2>/dev/null || break
			sleep 0.1
		done
		kill -TERM "$SMTP_PID" 2>/dev/null
		wait "$SMTP_PID" 2>/dev/null
		SMTP_PID=
	done
	echo "smtp_sink_start: the sink did not start; its log:" >&2
	cat "$SMTP_DIR/sink.log" >&2
	return 1
}

smtp_sink_stop()
{
	[ -n "${SMTP_PID:-}" ] || return 0
	kill -TERM "$SMTP_PID" 2>/dev/null
	wait "$SMTP_PID" 2>/dev/null
	SMTP_PID=
}

smtp_count()
{
	local n=0 f
	for f in "$SMTP_DIR"/*.eml; do
		[ -e "$f" ] && n=$((n + 1))
	done
	echo "$n"
}

smtp_wait()
{ # N [SECONDS]
	local deadline=$((SECONDS + ${2:-30}))
	while [ $SECONDS -le $deadline ]; do
		[ "$(smtp_count)" -ge "$1" ] && return 0
		sleep 0.1
	done
	return 1
}

smtp_mail_to()
{ # ADDR
	local f best= n bestn=0
	for f in "$SMTP_DIR"/*.json; do
		[ -e "$f" ] || continue
		[ -e "${f%.json}.eml" ] || continue
		jq -e --arg a "$1" '.rcpt_tos | map(ascii_downcase) | index($a | ascii_downcase)' "$f" >/dev/null || continue
		n=$(basename "$f" .json)
		if [ "$n" -gt "$bestn" ]; then
			bestn=$n
			best=${f%.json}.eml
		fi
	done
	[ -n "$best" ] && echo "$best"
}

smtp_header()
{ # FILE NAME
	"$SMTP_PYTHON" - "$1" "$2" <<'EOF'
import email, email.policy, sys
m = email.message_from_binary_file(open(sys.argv[1], "rb"), policy=email.policy.default)
v = m.get(sys.argv[2])
if v is None:
    sys.exit(1)
print(str(v))
EOF
}

smtp_body()
{ # FILE
	"$SMTP_PYTHON" - "$1" <<'EOF'
import email, email.policy, sys
m = email.message_from_binary_file(open(sys.argv[1], "rb"), policy=email.policy.default)
part = m.get_body(preferencelist=("plain",))
if part is None:
    sys.exit(1)
sys.stdout.write(part.get_content().replace("\r\n", "\n"))
EOF
}

smtp_attachment()
{ # FILE NAME OUT
	"$SMTP_PYTHON" - "$1" "$2" "$3" <<'EOF'
import email, email.policy, sys
m = email.message_from_binary_file(open(sys.argv[1], "rb"), policy=email.policy.default)
for part in m.iter_attachments():
    if part.get_filename() == sys.argv[2]:
        open(sys.argv[3], "wb").write(part.get_payload(decode=True))
        sys.exit(0)
sys.exit(1)
EOF
}
