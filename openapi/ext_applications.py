# The applications extension (issue 12, onboarding): server/onboarding/applications.c.
# Run by generate.py with its names in scope (doc, ref, q, ok, r, idp, read_errs, page_params, ...).
_s = doc["components"]["schemas"]
_nstr = {"type": "string", "nullable": True}
_ndt = {"type": "string", "format": "date-time", "nullable": True}
_steps = ["review", "agreement", "port_assignment", "quarantine", "production", "rejected"]
_registries = ["ripe_ncc", "arin", "apnic", "lacnic", "afrinic"]
_roles = ["contract_signer", "technical", "noc", "billing"]
_s["ApplicationLegalEntity"] = {"type": "object", "required": ["name", "registration_number", "address"],
    "properties": {"name": {"type": "string", "maxLength": 80}, "registration_number": {"type": "string", "maxLength": 80},
                   "address": ref("Address")}}
_s["ApplicationAsn"] = {"type": "object", "required": ["asn", "registry"],
    "properties": {"asn": {"type": "integer", "format": "int64", "minimum": 1, "maximum": 4294967295,
                           "description": "A public ASN: not private, reserved or for documentation (RFC 6996, 7300, 5398)."},
                   "registry": {"type": "string", "enum": _registries}}}
_s["ApplicationContactRequest"] = {"type": "object", "required": ["role"],
    "description": "A contact of the applicant; it becomes an IX-API contact of the new account with a role assignment "
                   "(contract_signer: legal, technical: implementation, noc: noc, billing: billing), so it must have "
                   "the fields that role requires.",
    "properties": {"role": {"type": "string", "enum": _roles}, "name": {"type": "string", "maxLength": 128, "nullable": True},
                   "email": {"type": "string", "maxLength": 80, "nullable": True},
                   "telephone": {"type": "string", "maxLength": 16, "nullable": True, "description": "E.164, e.g. +31205141717"}}}
_s["ApplicationPortOrder"] = {"type": "object", "required": ["product_offering", "quantity"],
    "properties": {"product_offering": {"type": "string", "description": "A connection product offering."},
                   "quantity": {"type": "integer", "minimum": 1, "maximum": 16}}}
_s["ApplicationRequest"] = {"type": "object",
    "required": ["type", "legal_entity", "asns", "facility", "colocation_statement", "contacts", "port_order"],
    "properties": {
        "type": {"type": "string", "enum": ["member", "customer"]},
        "legal_entity": ref("ApplicationLegalEntity"),
        "asns": {"type": "array", "minItems": 1, "maxItems": 16, "items": ref("ApplicationAsn")},
        "articles_of_association_accepted": {"type": "boolean", "description": "Required true for a member."},
        "facility": {"type": "string", "description": "A facility the exchange serves (a PoP with a device there)."},
        "colocation_statement": {"type": "string", "maxLength": 1000},
        "contacts": {"type": "array", "maxItems": 4, "items": ref("ApplicationContactRequest"),
                     "description": "One contact for each role: contract_signer, technical, noc, billing."},
        "envisioned_assignment_date": {"type": "string", "format": "date", "nullable": True},
        "port_order": ref("ApplicationPortOrder"),
        "managing_account": {"type": "string", "nullable": True,
                             "description": "A reseller's account (one the caller manages) that manages the new account; "
                                            "default: the caller's account for a member key, none for portal and operator keys."}}}
_s["Application"] = {"type": "object",
    "required": ["id", "step", "type", "account", "account_state", "status", "submitted_by_account", "legal_entity", "asns",
                 "articles_of_association_accepted", "facility", "colocation_statement", "colocation_confirmation",
                 "contacts", "approvals", "review_due_at", "rejection_reason", "port_order", "connection", "agreement",
                 "credentials_issued", "created_at", "updated_at"],
    "description": "An application to connect to the exchange. Its account is created in state `requested` with status "
                   "entries for what is still open (onboarding.review with its due time, onboarding.colocation, "
                   "onboarding.management_approval).",
    "properties": {
        "id": {"type": "string"}, "step": {"type": "string", "enum": _steps},
        "type": {"type": "string", "enum": ["member", "customer"]},
        "account": {"type": "string"}, "submitted_by_account": {"type": "string"},
        "account_state": {"type": "string", "description": "The account's IX-API state (requested until the final approval)."},
        "status": {"type": "array", "items": ref("Status"),
                   "description": "The account's status entries: what is still open (onboarding.*), with due times."},
        "legal_entity": ref("ApplicationLegalEntity"),
        "asns": {"type": "array", "items": ref("ApplicationAsn")},
        "articles_of_association_accepted": {"type": "boolean"},
        "facility": {"type": "string"}, "colocation_statement": {"type": "string"},
        "colocation_confirmation": {"type": "object", "nullable": True, "required": ["confirmation", "confirmed_at"],
                                    "properties": {"confirmation": {"type": "string"},
                                                   "confirmed_at": {"type": "string", "format": "date-time"}}},
        "contacts": {"type": "array", "items": {"type": "object", "required": ["role", "contact"],
                     "properties": {"role": {"type": "string", "enum": _roles}, "contact": {"type": "string"}}}},
        "approvals": {"type": "array", "items": {"type": "object", "required": ["kind", "at"],
                      "properties": {"kind": {"type": "string", "enum": ["review", "management"]},
                                     "at": {"type": "string", "format": "date-time"}}}},
        "review_due_at": {"type": "string", "format": "date-time",
                          "description": "17:00 UTC of the second working day (Monday to Friday) after the submission."},
        "rejection_reason": _nstr, "rejected_at": _ndt,
        "envisioned_assignment_date": {"type": "string", "format": "date", "nullable": True},
        "port_order": ref("ApplicationPortOrder"),
        "connection": {**_nstr, "description": "The connection ordered on the final approval."},
        "agreement": {**_nstr, "description": "The connection agreement (extension /agreements)."},
        "agreement_state": {"type": "string", "nullable": True, "enum": ["sent", "signed"]},
        "credentials_issued": {"type": "boolean"},
        "ports_assigned_at": _ndt, "production_at": _ndt,
        "created_at": {"type": "string", "format": "date-time"}, "updated_at": {"type": "string", "format": "date-time"}}}
_s["ApplicationCredentials"] = {"type": "object", "required": ["api_key", "api_secret", "account"],
    "description": "The account's first API key (role member), shown once: only its argon2id hash is stored.",
    "properties": {"api_key": {"type": "string"}, "api_secret": {"type": "string"}, "account": {"type": "string"}}}
_s["ApplicationColocationConfirmation"] = {"type": "object", "required": ["confirmation"],
    "properties": {"confirmation": {"type": "string", "minLength": 1, "maxLength": 1000}}}
_s["ApplicationRejection"] = {"type": "object", "required": ["reason"],
    "properties": {"reason": {"type": "string", "minLength": 1, "maxLength": 1000,
                              "description": "Shown to the applicant (rejection_reason)."}}}
doc["tags"].append({"name": "applications", "description": "Extension: applications to connect (onboarding). "
                    "A portal key (the member-portal backend) may submit applications and read their progress, nothing else."})
_app = ok("The application.", ref("Application"))
_conflict = {"409": r("Conflict")}
def _action(op, summary, desc, req, resp, errs):
    d = {"operationId": op, "tags": ["applications"], "summary": summary, "description": desc, "responses": {**resp, **errs}}
    if req:
        d["requestBody"] = {"required": True, "content": {"application/json": {"schema": ref(req)}}}
    return {"parameters": [idp], "post": d}
doc["paths"]["/applications"] = {
    "get": {"operationId": "applications_list", "tags": ["applications"], "summary": "List applications (extension)",
            "description": "Operators: every application; members: those of the accounts they manage and those they "
                           "submitted; portal keys: those they submitted.",
            "parameters": [q("step", "Filter by step", {"type": "string", "enum": _steps}), q("account", "Filter by account"),
                           *page_params],
            "responses": {**ok("Applications.", {"type": "array", "items": ref("Application")}),
                          **page_response("Application", "applications"), "400": r("ValidationError"), **read_errs}},
    "post": {"operationId": "applications_create", "tags": ["applications"], "summary": "Submit an application (extension)",
             "description": "Creates, in one transaction, the account (state requested), its ASNs, contacts and role "
                            "assignments and the application. Refused (400 naming the property, nothing written): a "
                            "private, reserved or documentation ASN, an ASN held by another account (400 naming asns), "
                            "an unknown registry, a facility the exchange does not serve, a missing role, a member "
                            "without the articles, an offering that is not a connection offering, a quantity out of range.",
             "requestBody": {"required": True, "content": {"application/json": {"schema": ref("ApplicationRequest")}}},
             "responses": {**ok("The application, under review.", ref("Application"), "201"), **write_errs}}}
doc["paths"]["/applications/{id}"] = {"parameters": [idp], "get": {"operationId": "applications_read", "tags": ["applications"],
    "summary": "Read an application (extension)", "responses": {**_app, **read_errs, "404": r("NotFound")}}}
doc["paths"]["/applications/{id}/colocation-confirmation"] = _action("applications_colocation_confirmation_create",
    "Record the colocation provider's confirmation (extension, operators)",
    "While the application is under review; clears the account's onboarding.colocation status entry.",
    "ApplicationColocationConfirmation", _app, {**write_errs, "404": r("NotFound"), **_conflict})
doc["paths"]["/applications/{id}/approve"] = _action("applications_approve", "Approve an application (extension, operators)",
    "Needs the colocation confirmation (409 otherwise). A customer application: one approval. A member application: "
    "the review approval, then the management approval from a second, distinct operator key (409 for the same key). "
    "The final approval makes the account production, orders the connection (state requested, with its port "
    "reservations), moves the application to the agreement step and queues the agreement.",
    None, _app, {**read_errs, "404": r("NotFound"), **_conflict})
doc["paths"]["/applications/{id}/reject"] = _action("applications_reject", "Reject an application (extension, operators)",
    "While under review: the account is archived, its ASNs released, the reason shown to the applicant.",
    "ApplicationRejection", _app, {**write_errs, "404": r("NotFound"), **_conflict})
doc["paths"]["/applications/{id}/credentials"] = _action("applications_credentials_create",
    "Issue the account's first API key (extension)",
    "The submitter (portal or reseller) or an operator, after approval; answers the key and secret once (a second call: 409).",
    None, ok("The key, shown once.", ref("ApplicationCredentials"), "201"), {**read_errs, "404": r("NotFound"), **_conflict})
