# The events extension (issue 12, m4; server/events/): the audit events a
# caller may see, with a cursor, and outgoing webhooks signed with HMAC-SHA256.
# Run by generate.py with its names in scope (doc, ref, q, ok, r, idp, read_errs, write_errs).
_nid = {"type": "string", "nullable": True}
doc["components"]["schemas"]["Event"] = {"type": "object",
    "description": "An audit event: one change of one object, written in the change's own transaction. Secrets never "
                   "appear (a password or secret key is replaced by has_password / has_secret).",
    "required": ["id", "occurred_at", "action", "object_type", "object_id", "account", "actor_account", "data", "previous"],
    "properties": {
        "id": {"type": "string", "description": "Ascending: the cursor of GET /events (`after`)."},
        "occurred_at": {"type": "string", "format": "date-time"},
        "action": {"type": "string", "enum": ["create", "update", "delete", "decommission", "login", "refresh"]},
        "object_type": {"type": "string", "example": "application"},
        "object_id": {"type": "string"},
        "account": {**_nid, "description": "The account the event is about (an account: itself; an application or "
                    "agreement: the applicant account; an object with owners: its consuming account, else its managing "
                    "account; a role assignment: its contact's; a login: the key's account); null: operators only."},
        "actor_account": {**_nid, "description": "The account of the key that made the change (null: the server itself, e.g. a job)."},
        "data": {"type": "object", "nullable": True, "description": "The object after the change (null for a delete)."},
        "previous": {"type": "object", "nullable": True, "description": "The object before the change (null for a create)."}}}
_wh_props = {
    "id": {"type": "string"},
    "account": {"type": "string", "description": "The owner: the account of the key that created it. Its events are "
                "the owner's scope (an operator's: every event)."},
    "url": {"type": "string", "maxLength": 2000, "example": "https://portal.example.net/ixapi-hooks",
            "description": "http:// or https://, no user information; the server POSTs each event here."},
    "object_types": {"type": "array", "items": {"type": "string", "pattern": "^[a-z_]+$"}, "maxItems": 32,
                     "description": "The object types it wants (empty: all), e.g. application, agreement, account, connection."},
    "active": {"type": "boolean"},
    "created_at": {"type": "string", "format": "date-time"}}
doc["components"]["schemas"]["Webhook"] = {"type": "object",
    "description": "An outgoing webhook. Each event its owner may see (and of a type it wants) becomes a delivery: a POST "
                   "of the Event JSON with `Content-Type: application/json`, `X-IXAPI-Event: <event id>` and "
                   "`X-IXAPI-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, \"<t>.<body>\")>` (the key is the "
                   "secret's text). A 2xx answer delivers it; anything else is retried with the jobs' backoff until "
                   "IXAPI_JOB_MAX_ATTEMPTS, then the delivery is dead. Deliveries are independent (no order between "
                   "them): order by the event id.",
    "required": ["id", "account", "url", "object_types", "active", "created_at"],
    "properties": _wh_props}
doc["components"]["schemas"]["WebhookCreated"] = {"type": "object",
    "description": "A new webhook with its secret: shown in this answer only.",
    "required": ["id", "account", "url", "object_types", "active", "created_at", "secret"],
    "properties": {**_wh_props, "secret": {"type": "string", "pattern": "^[0-9a-f]{64}$",
                                           "description": "The HMAC-SHA256 key (32 random bytes, hex); never shown again."}}}
doc["components"]["schemas"]["WebhookRequest"] = {"type": "object", "additionalProperties": False, "required": ["url"],
    "properties": {"url": _wh_props["url"], "object_types": _wh_props["object_types"]}}
doc["components"]["schemas"]["WebhookDelivery"] = {"type": "object",
    "required": ["id", "webhook", "event", "state", "attempts", "last_status", "last_error", "delivered_at", "created_at"],
    "properties": {
        "id": {"type": "string"}, "webhook": {"type": "string"}, "event": {"type": "string"},
        "state": {"type": "string", "enum": ["pending", "delivered", "dead"]},
        "attempts": {"type": "integer", "minimum": 0},
        "last_status": {"type": "integer", "nullable": True, "description": "The receiver's last HTTP status (null: no answer)."},
        "last_error": {"type": "string", "nullable": True, "description": "Why the last failed attempt failed."},
        "delivered_at": {"type": "string", "format": "date-time", "nullable": True},
        "created_at": {"type": "string", "format": "date-time"}}}
doc["tags"].append({"name": "events", "description": "Extension: audit events with a cursor, outgoing webhooks"})
doc["paths"]["/events"] = {"get": {"operationId": "events_list", "tags": ["events"],
    "summary": "List events after a cursor (extension)",
    "description": "The events the caller may see, in ascending id order: operators every event; a member the events "
                   "of the accounts in its scope (itself and the accounts it manages) and of the applicant accounts of "
                   "the applications its account submitted; a portal key likewise. Catch up by passing the last id "
                   "seen as `after` (the X-Next-After header of each answer) until a page comes back empty.",
    "parameters": [q("after", "Only events with a greater id (0: from the start).", {"type": "string", "pattern": "^[0-9]+$"}),
                   q("limit", "The most events in the answer (default 100).", {"type": "integer", "minimum": 1, "maximum": 1000}),
                   q("account", "Filter by account (within the caller's scope)."),
                   q("object_type", "Filter by object type, e.g. application."),
                   q("object_id", "Filter by object id.")],
    "responses": {"200": {"description": "The events, oldest first.",
                          "headers": {"X-Next-After": {"description": "The `after` of the next request: the last id of "
                                                       "this page (an empty page: the `after` given, or 0).",
                                                       "schema": {"type": "string"}}},
                          "content": {"application/json": {"schema": {"type": "array", "items": ref("Event")}}}},
                  "400": r("ValidationError"), **read_errs}}}
doc["paths"]["/webhooks"] = {
    "get": {"operationId": "webhooks_list", "tags": ["events"], "summary": "List webhooks (extension)",
            "description": "The webhooks of the caller's scope (operators: all), without their secrets.",
            "responses": {**ok("The webhooks.", {"type": "array", "items": ref("Webhook")}), **read_errs}},
    "post": {"operationId": "webhooks_create", "tags": ["events"], "summary": "Create a webhook (extension)",
             "description": "Owned by the caller's account. The answer holds the signing secret, once.",
             "requestBody": body("WebhookRequest"),
             "responses": {**ok("The webhook and its secret.", ref("WebhookCreated"), "201"), **write_errs}}}
doc["paths"]["/webhooks/{id}"] = {"parameters": [idp],
    "get": {"operationId": "webhooks_read", "tags": ["events"], "summary": "Read a webhook (extension)",
            "responses": {**ok("The webhook (no secret).", ref("Webhook")), **read_errs, "404": r("NotFound")}},
    "delete": {"operationId": "webhooks_destroy", "tags": ["events"], "summary": "Delete a webhook (extension)",
               "description": "It and its deliveries go; pending deliveries are not sent.",
               "responses": {**ok("The deleted webhook as it was.", ref("Webhook")), **read_errs, "404": r("NotFound")}}}
doc["paths"]["/webhooks/{id}/deliveries"] = {"parameters": [idp],
    "get": {"operationId": "webhooks_deliveries_list", "tags": ["events"], "summary": "A webhook's deliveries (extension)",
            "description": "Newest first, at most 1,000.",
            "responses": {**ok("The deliveries.", {"type": "array", "items": ref("WebhookDelivery")}), **read_errs,
                          "404": r("NotFound")}}}
