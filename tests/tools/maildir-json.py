#!/usr/bin/python3
"""The messages an SMTP sink stored, as JSON for the end-to-end tests.

    maildir-json.py DIR [ATTACHMENT_DIR]

DIR is a Maildir (what `python3 -m aiosmtpd -c aiosmtpd.handlers.Mailbox
DIR` writes) or a directory of .eml files. Prints one JSON array, oldest
first: {"file", "from", "to", "subject", "message_id", "text" (the text/plain
parts), "attachments": [{"name", "content_type", "size", "sha256", "file"}]};
with ATTACHMENT_DIR each attachment is also written there (the "file").
"""
import email
import email.policy
import hashlib
import json
import os
import sys

src = sys.argv[1]
att_dir = sys.argv[2] if len(sys.argv) > 2 else None
files = []
for sub in ("new", "cur"):
    d = os.path.join(src, sub)
    if os.path.isdir(d):
        files += [os.path.join(d, f) for f in os.listdir(d)]
if not files and os.path.isdir(src):
    files = [os.path.join(src, f) for f in os.listdir(src) if f.endswith(".eml")]
files.sort(key=lambda f: (os.stat(f).st_mtime_ns, f))

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
            "subject": str(msg.get("Subject", "")),
            "message_id": str(msg.get("Message-ID", "")),
            "text": "\n".join(text),
            "attachments": atts,
        }
    )
print(json.dumps(out))
