# The agreements extension (issue 12, step 3; server/onboarding/agreements.c): an application's connection
# agreement, its document, the e-signature provider's callback and an operator's upload of the signed copy.
# Run by generate.py with its names in scope (doc, ref, q, ok, r, idp, read_errs, write_errs, public).
_pdf = {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}
_ts = {"type": "string", "format": "date-time", "nullable": True}
doc["components"]["schemas"]["Agreement"] = {"type": "object",
    "description": "The connection agreement of an application: the document the exchange rendered (member variant with the articles of association, or customer variant) and, once recorded, its signature.",
    "required": ["id", "application", "variant", "state", "document_sha256", "envelope_id", "signer_name", "signer_email",
                 "signed_at", "signature_source", "signed_sha256", "created_at"],
    "properties": {
        "id": {"type": "string"},
        "application": {"type": "string"},
        "variant": {"type": "string", "enum": ["member", "customer"]},
        "state": {"type": "string", "enum": ["sent", "signed"],
                  "description": "sent: mailed to the contract signer, waiting for the signature; signed: recorded (the application moved on to port assignment)."},
        "document_sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$", "description": "SHA-256 (hex) of the document as issued (GET …/document)."},
        "envelope_id": {"type": "string", "nullable": True, "description": "The e-signature envelope the provider's callbacks name; shown to operators and the submitter only (null for others)."},
        "signer_name": {"type": "string", "nullable": True},
        "signer_email": {"type": "string", "nullable": True},
        "signed_at": _ts,
        "signature_source": {"type": "string", "enum": ["callback", "upload"], "nullable": True,
                             "description": "callback: the e-signature provider's signed callback; upload: an operator uploaded the signed copy."},
        "signed_sha256": {"type": "string", "nullable": True, "description": "SHA-256 (hex) of the exact signed document received."},
        "created_at": {"type": "string", "format": "date-time"}}}
doc["components"]["schemas"]["SignatureCallback"] = {"type": "object",
    "description": "A DocuSign Connect (JSON SIM) event. Only envelope-completed changes the agreement; envelope-declined and envelope-voided set the status entry onboarding.agreement_declined on the applicant's account; other events are acknowledged and change nothing.",
    "required": ["event", "generatedDateTime", "data"],
    "properties": {
        "event": {"type": "string", "example": "envelope-completed"},
        "generatedDateTime": {"type": "string", "format": "date-time", "description": "More than 24 hours old (or 5 minutes ahead): 400."},
        "data": {"type": "object", "required": ["envelopeId"], "properties": {
            "envelopeId": {"type": "string"},
            "envelopeSummary": {"type": "object", "properties": {
                "status": {"type": "string", "example": "completed"},
                "completedDateTime": {"type": "string", "format": "date-time"},
                "recipients": {"type": "object", "properties": {"signers": {"type": "array", "items": {"type": "object", "properties": {
                    "name": {"type": "string"}, "email": {"type": "string"}, "signedDateTime": {"type": "string", "format": "date-time"}}}}}},
                "envelopeDocuments": {"type": "array", "description": "The signed document: the first whose type is not summary.",
                                      "items": {"type": "object", "properties": {"type": {"type": "string"}, "PDFBytes": {"type": "string", "format": "byte"}}}}}},
            "documents": {"type": "array", "description": "Alternative place of the signed document (when envelopeSummary has no envelopeDocuments).",
                          "items": {"type": "object", "properties": {"PDFBytes": {"type": "string", "format": "byte"}}}}}}}}
doc["components"]["schemas"]["SignatureCallbackReceipt"] = {"type": "object", "required": ["agreement", "event", "state"],
    "properties": {"agreement": {"type": "string"}, "event": {"type": "string"},
                   "state": {"type": "string", "enum": ["sent", "signed"], "description": "The agreement's state after the callback."}}}
doc["tags"].append({"name": "agreements", "description": "Extension: connection agreements of applications and their signatures (onboarding)"})
doc["paths"]["/agreements/signature-callback"] = {"post": {"operationId": "agreements_signature_callback", "tags": ["agreements"],
    "summary": "E-signature provider's callback (extension, DocuSign Connect style)", "security": public,
    "description": "No token: the provider signs the exact body, header X-DocuSign-Signature-1 = base64(HMAC-SHA256(IXAPI_ESIGN_HMAC_KEY, body)). With several keys in the provider's account (a key rotation), one header per key (X-DocuSign-Signature-2, ...): any of the first five may carry the signature with this exchange's key. Missing or wrong signature: 401 and nothing changes. The same body again (a replay, by its SHA-256): 409 and nothing changes. envelope-completed records the signature (signer, signedDateTime, the signed PDF and its SHA-256) and moves the application to port assignment; 409 when the agreement is signed already or the application waits for no signature. Unknown envelope: 404. Without IXAPI_ESIGN_HMAC_KEY: 503 (the provider retries).",
    "parameters": [{"name": "X-DocuSign-Signature-1", "in": "header", "required": False, "schema": {"type": "string", "format": "byte"},
                    "description": "base64 of the HMAC-SHA256 of the exact body under the shared key (or under another key of the provider's account, when X-DocuSign-Signature-2 to -5 carries ours)."},
                   {"name": "X-DocuSign-Signature-2", "in": "header", "required": False, "schema": {"type": "string", "format": "byte"},
                    "description": "The signature with the account's second key (a key rotation); -3 to -5 likewise."}],
    "requestBody": {"required": True, "content": {"application/json": {"schema": ref("SignatureCallback")}}},
    "responses": {**ok("Taken.", ref("SignatureCallbackReceipt")), "400": r("ValidationError"), "401": r("Authentication"),
                  "404": r("NotFound"), "409": r("Conflict"), "413": r("PayloadTooLarge"), "415": r("UnsupportedMediaType"),
                  "503": r("ServiceUnavailable")}}}
doc["paths"]["/agreements/{id}"] = {"parameters": [idp], "get": {"operationId": "agreements_read", "tags": ["agreements"],
    "summary": "Read an agreement (extension)",
    "description": "Operators, the account that submitted the application and the applicant's account (and the accounts managing them).",
    "responses": {**ok("The agreement.", ref("Agreement")), **read_errs, "404": r("NotFound")}}}
doc["paths"]["/agreements/{id}/document"] = {"parameters": [idp], "get": {"operationId": "agreements_document_read", "tags": ["agreements"],
    "summary": "The agreement's document as issued (extension)",
    "description": "The PDF the exchange rendered and mailed to the contract signer; its SHA-256 is document_sha256.",
    "responses": {"200": {"description": "The PDF document.", "content": _pdf}, **read_errs, "404": r("NotFound")}}}
doc["paths"]["/agreements/{id}/signed-copy"] = {"parameters": [idp], "post": {"operationId": "agreements_signed_copy_create",
    "tags": ["agreements"], "summary": "Record the signed copy (extension, operators)",
    "description": "An operator uploads the signed PDF (at most 1 MiB) with who signed it and when. Records the signature as the callback does (signature_source upload, recorded by the operator's key) and moves the application to port assignment. 409 when the agreement is signed already or the application waits for no signature. Members get 403.",
    "parameters": [q("signer_name", "Who signed (1-128 characters).", required=True),
                   q("signer_email", "The signer's e-mail address.", required=True),
                   q("signed_at", "When it was signed (RFC 3339).", {"type": "string", "format": "date-time"}, required=True)],
    "requestBody": {"required": True, "content": _pdf},
    "responses": {**ok("The signed agreement.", ref("Agreement")), "400": r("ValidationError"), **read_errs, "404": r("NotFound"),
                  "409": r("Conflict"), "413": r("PayloadTooLarge"), "415": r("UnsupportedMediaType")}}}
