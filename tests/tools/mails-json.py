#!/usr/bin/python3
"""The messages the SMTP sink (tests/tools/smtp-sink.py) stored, as JSON,
for the end-to-end tests (tests/e2e/onboarding.sh).

    mails-json.py DIR [ATTACHMENT_DIR]

DIR holds <n>.eml (and <n>.json, the envelope). Prints one JSON array in
arrival order: {"file", "from", "to", "rcpt_tos" (the envelope's), "subject",
"message_id", "text" (the text/plain parts), "attachments": [{"name",
"content_type", "size", "sha256", "file"}]}; with ATTACHMENT_DIR each
attachment is also written there (the "file").
"""
import email
import email.policy
import hashlib
import json
import os
import sys

src = sys.argv[1]
att_dir = sys.argv[2] if len(sys.argv) > 2 else None
files = [os.path.join(src, f) for f in os.listdir(src) if f.endswith(".eml") and f[:-4].isdigit()]
files.sort(key=lambda f: int(os.path.basename(f)[:-4]))


def envelope(path):
    try:
        with open(path[:-4] + ".json", encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError):
        return {}


out = []
for n, path in enumerate(files):
    with open(path, "rb") as f:
        msg = email.message_from_binary_file(f, policy=email.policy.default)
    text = []
    atts = []
    for part in msg.walk():
        if part.is_multipart():
            continue
        name = part.get_filename()
        data = part.get_payload(decode=True) or b""
        if name:
            entry = {
                "name": name,
                "content_type": part.get_content_type(),
                "size": len(data),
                "sha256": hashlib.sha256(data).hexdigest(),
            }
            if att_dir:
                entry["file"] = os.path.join(att_dir, "%d-%s" % (n, os.path.basename(name)))
                with open(entry["file"], "wb") as f:
                    f.write(data)
            atts.append(entry)
        elif part.get_content_type() == "text/plain":
            text.append(part.get_content())
    out.append(
        {
            "file": path,
            "from": str(msg.get("From", "")),
            "to": str(msg.get("To", "")),
            "rcpt_tos": envelope(path).get("rcpt_tos", []),
            "subject": str(msg.get("Subject", "")),
            "message_id": str(msg.get("Message-ID", "")),
            "text": "\n".join(text),
            "attachments": atts,
        }
    )
print(json.dumps(out))
