#!/usr/bin/python3
"""Takes a message the SMTP sink stored apart with Python's own MIME parser
(not the code that wrote it), for the integration tests to assert on:

    mail-parts.py EML OUTDIR

writes OUTDIR/headers.json ({"from", "to", "subject" (RFC 2047 decoded),
"raw_subject" (as on the wire, unfolded), "date", "message_id",
"mime_version", "content_type", "header_names": [...], "defects": [...]}),
OUTDIR/body.txt (the text/plain part, transfer-decoded, as UTF-8, LF line
ends) and, per
attachment, OUTDIR/attachment-<filename> (decoded bytes) with their list in
OUTDIR/attachments.json ([{"filename", "content_type", "size"}]). Exit 1
when the message cannot be parsed.
"""

import email
import email.policy
import json
import os
import sys


def main():
    eml, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    raw = open(eml, "rb").read()
    m = email.message_from_bytes(raw, policy=email.policy.default)
    compat = email.message_from_bytes(raw, policy=email.policy.compat32)
    raw_subject = compat.get("Subject")
    headers = {
        "from": str(m.get("From", "")),
        "to": str(m.get("To", "")),
        "subject": str(m.get("Subject", "")),
        "raw_subject": "".join(str(raw_subject).splitlines()) if raw_subject is not None else None,
        "date": str(m.get("Date", "")),
        "message_id": str(m.get("Message-ID", "")),
        "mime_version": str(m.get("MIME-Version", "")),
        "content_type": m.get_content_type(),
        "header_names": list(m.keys()),
        "defects": [type(d).__name__ for d in m.defects],
    }
    with open(os.path.join(out, "headers.json"), "w") as f:
        json.dump(headers, f)
    body = m.get_body(preferencelist=("plain",))
    with open(os.path.join(out, "body.txt"), "wb") as f:
        if body is not None:
            # lines end CRLF on the wire (RFC 5322); the text as read: LF
            f.write(body.get_content().replace("\r\n", "\n").encode("utf-8"))
    listed = []
    for part in m.iter_attachments():
        name = part.get_filename() or "unnamed"
        data = part.get_payload(decode=True) or b""
        with open(os.path.join(out, "attachment-" + os.path.basename(name)), "wb") as f:
            f.write(data)
        listed.append({"filename": name, "content_type": part.get_content_type(), "size": len(data)})
    with open(os.path.join(out, "attachments.json"), "w") as f:
        json.dump(listed, f)
    return 0


if __name__ == "__main__":
    sys.exit(main())
