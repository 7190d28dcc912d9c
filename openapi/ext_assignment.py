# Onboarding (issue 12), port assignment (m5): an operator assigns the ports of an application's connection,
# named or by the auto-assign policy. Run by generate.py with its globals (doc, ref, r, ok, idp, read_errs, ...).
doc["components"]["schemas"].update({
    "PortAssignmentRequest": {"type": "object", "additionalProperties": False,
        "description": "The ports to assign, one for each port reservation of the application's connection; "
                       "leave `ports` out (`{}`) for the auto-assign policy: the lowest free ports of the product "
                       "offering's speed at the application's facility (locked with SKIP LOCKED: two assignments "
                       "at once never take one port).",
        "properties": {"ports": {"type": "array", "minItems": 1, "maxItems": 16, "uniqueItems": True,
                                 "items": {"type": "string"},
                                 "description": "Port ids: each free, at the application's facility, of the "
                                                "offering's physical_port_speed."}}},
    "PortAssignment": {"type": "object",
        "required": ["application", "step", "account", "connection", "ports_assigned_at", "mail", "port_reservations"],
        "description": "The ports assigned: the reservations are allocated (the switch jobs of an operator's "
                       "allocation), the exchange-side demarcs name device and port, the connection is allocated, "
                       "its LOA (naming the demarcation points) is stored and mailed to the technical contact with "
                       "the port details, the member's peering-LAN addresses and how to activate the port; the "
                       "application is in step quarantine. Billing starts when the connection or its peering-LAN "
                       "config reaches production, at the latest 30 days after the assignment.",
        "properties": {"application": {"type": "string"},
                       "step": {"type": "string", "enum": ["quarantine"]},
                       "account": {"type": "string"},
                       "connection": {"type": "string"},
                       "ports_assigned_at": {"type": "string", "format": "date-time"},
                       "mail": {"type": "string", "description": "The queued mail to the technical contact."},
                       "port_reservations": {"type": "array", "items": {"type": "object",
                           "required": ["id", "port", "state", "exchange_side_demarc"],
                           "properties": {"id": {"type": "string"}, "port": {"type": "string"},
                                          "state": {"type": "string"},
                                          "exchange_side_demarc": {"type": "string"}}}}}},
})
if not any(t["name"] == "applications" for t in doc["tags"]):
    doc["tags"].append({"name": "applications", "description": "Extension: onboarding applications"})
doc["paths"]["/applications/{id}/port-assignment"] = {"parameters": [idp], "post": {
    "operationId": "applications_port_assignment", "tags": ["applications"],
    "summary": "Assign the ports of an application's connection (extension, operators)",
    "description": "In step port_assignment with the connection agreement signed. `{\"ports\": [...]}` names one "
                   "port for each port reservation of the connection; `{}` (or no body) applies the auto-assign "
                   "policy. One transaction: nothing is written when it is refused. 400 (naming `ports`) for a port "
                   "that does not exist, is not free, is not at the application's facility or has another speed, "
                   "or the wrong number of ports; 409 while the agreement is unsigned, in another step (assigned "
                   "already, rejected), or when the auto-assign policy finds too few free ports. The job "
                   "`onboarding.assign` applies IXAPI_PORT_ASSIGNMENT (auto: the same as `{}`; operator: it waits "
                   "for this call).",
    "requestBody": {"required": False, "content": {"application/json": {"schema": ref("PortAssignmentRequest")}}},
    "responses": {**ok("The ports assigned.", ref("PortAssignment")), "400": r("ValidationError"), **read_errs,
                  "404": r("NotFound"), "409": r("Conflict"), "413": r("PayloadTooLarge"),
                  "415": r("UnsupportedMediaType")}}}
