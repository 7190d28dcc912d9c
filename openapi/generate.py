#!/usr/bin/env python3
"""Writes openapi/ixapi.json: the OpenAPI document of exactly the routes
ixapid serves. Schemas are taken from the official IX-API 2.1.0 document
(../shared/ixapi/ix-api-2.1.0.json, next to the checkout) and adjusted to
2.7.1 where it differs. A maintainer's tool: run it after adding routes
(`make openapi`), commit both; the tests lint the document, compare it with
the route table and validate every recorded response against it."""
import json
import os
src = json.load(open(os.path.join(os.path.dirname(os.path.abspath(__file__)), '../../shared/ixapi/ix-api-2.1.0.json')))
S = src['components']['schemas']
def props(name):
    return json.loads(json.dumps(S[name]['properties']))

E = "https://errors.ix-api.net/v2/"
def ref(n): return {"$ref": "#/components/schemas/" + n}

address = {"type": "object", "description": "A postal address.", "additionalProperties": False,
           "required": ["country", "locality", "postal_code", "street_address", "region", "post_office_box_number"],
           "properties": props('AddressPartial')}
address_in = {"type": "object", "description": "A postal address.",
              "required": ["country", "locality", "postal_code", "street_address"],
              "properties": props('AddressPartial')}
address_in['properties']['locality']['maxLength'] = 40
billing = {"type": "object", "additionalProperties": False, "required": ["name", "address", "vat_number"],
           "description": "Information required for issuing invoices.",
           "properties": {"name": {"type": "string", "maxLength": 80, "description": "Name of the organisation receiving invoices."},
                          "address": ref("Address"),
                          "vat_number": {"type": "string", "maxLength": 20, "nullable": True, "description": "Value-added tax number, required for european reverse charge system."}}}
billing_in = {"type": "object", "required": ["name", "address"],
              "description": "Information required for issuing invoices.",
              "properties": {"name": billing['properties']['name'], "address": ref("AddressRequest"),
                             "vat_number": billing['properties']['vat_number']}}
status = {"type": "object", "description": "Status Message", "required": ["severity", "tag", "message", "attrs", "timestamp"],
          "properties": props('StatusPartial')}

ap = props('AccountPartial')
ap['state']['nullable'] = True
ap['address'] = ref('Address')
ap['billing_information'] = ref('BillingInformation')  # optional, never null (absent when unset)
ap['status'] = {"type": "array", "items": ref('Status')}
ap['asns'] = {"type": "array", "items": {"type": "integer", "format": "int64", "minimum": 1, "maximum": 4294967295},
              "description": "List of ASNs associated with this account."}
account = {"type": "object", "description": "Account", "additionalProperties": False,
           "required": ["id", "state", "status", "managing_account", "name", "legal_name",
                        "external_ref", "discoverable", "metro_area_network_presence", "address", "asns"],
           "properties": ap}
req = props('AccountRequestPartial')
req['address'] = ref('AddressRequest')
req['billing_information'] = {"type": "object", "allOf": [ref('BillingInformationRequest')], "nullable": True}
account_request = {"type": "object", "description": "Account Request", "required": ["name", "address"], "properties": req}
account_update = {"type": "object", "description": "Account Update", "required": ["name", "address", "metro_area_network_presence"],
                  "properties": json.loads(json.dumps(req))}
account_patch = {"type": "object", "description": "Account Update (partial). `state` may be changed by operators only (403 otherwise).",
                 "properties": {**json.loads(json.dumps(req)), "state": {"type": "string", "enum": ap['state']['enum']}}}
for k in ('default',):
    for sch in (account_update, account_patch):
        for v in sch['properties'].values():
            v.pop('default', None)

problem = {"type": "object", "description": "Encodes a problem into an appropriate response body (RFC 7807).",
           "additionalProperties": False, "required": ["type", "title", "status", "detail"],
           "properties": {**props('ProblemResponsePartial'),
                          "properties": {"type": "array", "description": "The offending properties of a validation error.",
                                         "items": ref('ValidationErrorProperty')}}}
problem['properties']['status']['maximum'] = 599
vep = {"type": "object", "required": ["name", "reason"], "additionalProperties": False,
       "properties": {"name": {"type": "string", "description": "The property, with a dotted path for nested ones."},
                      "reason": {"type": "string"}}}
auth_token = {"type": "object", "description": "AuthToken", "additionalProperties": False, "required": ["access_token", "refresh_token"],
              "properties": {"access_token": {"type": "string"}, "refresh_token": {"type": "string"}}}
auth_req = {"type": "object", "description": "AuthTokenRequest", "required": ["api_key", "api_secret"],
            "properties": {"api_key": {"type": "string", "minLength": 16, "maxLength": 16},
                           "api_secret": {"type": "string", "minLength": 86, "maxLength": 86}}}
refresh_req = {"type": "object", "description": "RefreshTokenRequest", "required": ["refresh_token"],
               "properties": {"refresh_token": {"type": "string"}}}
health = {"type": "object", "description": "Health Status Response (draft-inadarei-api-health-check).",
          "required": ["status", "version"],
          "properties": {"status": {"type": "string", "enum": ["pass", "warn", "fail"]},
                         "version": {"type": "string", "description": "The public interface version: always \"2\"."},
                         "releaseId": {"type": "string"}, "notes": {"type": "array", "items": {"type": "string"}},
                         "output": {"type": "string"}, "serviceId": {"type": "string"}, "description": {"type": "string"},
                         "checks": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "object",
                             "properties": {"componentType": {"type": "string"}, "status": {"type": "string", "enum": ["pass", "warn", "fail"]},
                                            "time": {"type": "string", "format": "date-time"}, "observedValue": {"type": "integer"},
                                            "observedUnit": {"type": "string"}, "output": {"type": "string"}}}}},
                         "links": {"type": "object", "additionalProperties": {"type": "string"}}}}
impl = {"type": "object", "description": "API Implementation",
        "required": ["schema_version", "supported_network_service_types", "supported_network_service_config_types",
                     "supported_network_feature_types", "supported_network_feature_config_types", "supported_operations"],
        "properties": {"schema_version": {"type": "string", "description": "Version of the implemented IX-API schema."},
                       "service_version": {"type": "string", "description": "Version of the API service."},
                       "supported_network_service_types": {"type": "array", "items": {"type": "string"}},
                       "supported_network_service_config_types": {"type": "array", "items": {"type": "string"}},
                       "supported_network_feature_types": {"type": "array", "items": {"type": "string"}},
                       "supported_network_feature_config_types": {"type": "array", "items": {"type": "string"}},
                       "supported_operations": {"type": "array", "items": {"type": "string"},
                                                "description": "Array of implemented operations of the ix-api schema."},
                       "supported_features": {"type": "object", "properties": {"pagination": {"type": "boolean"}}}}}
ext = {"type": "object", "description": "Implementation specific API extensions",
       "required": ["name", "publisher", "documentation_url", "base_url", "spec_url"],
       "properties": {k: {"type": "string"} for k in ["name", "publisher", "documentation_url", "base_url", "spec_url"]}}

def closed(name, required, extra=None, drop=()):
    p = props(name + 'Partial')
    for k in drop:
        p.pop(k, None)
    for v in p.values():
        v.pop('readOnly', None)
    p.update(extra or {})
    return {"type": "object", "description": S[name + 'Partial'].get('description', name), "additionalProperties": False,
            "required": required, "properties": p}

ids = {"type": "array", "items": {"type": "string"}}
metro_area = closed('MetroArea', ["id", "un_locode", "iata_code", "display_name", "facilities", "metro_area_networks"])
man = closed('MetroAreaNetwork', ["id", "name", "metro_area", "service_provider", "pops"])
facility = closed('Facility', ["id", "name", "metro_area", "address_country", "address_locality", "address_region",
                               "postal_code", "street_address", "peeringdb_facility_id", "organisation_name", "pops",
                               "latitude", "longitude"],
                  {"latitude": {"type": "number", "nullable": True, "description": "Latitude of the facility's location."},
                   "longitude": {"type": "number", "nullable": True, "description": "Longitude of the facility's location."}})
pop = closed('PointOfPresence', ["id", "name", "facility", "metro_area_network", "devices", "availability_zone"],
             {"availability_zone": {"type": "string", "nullable": True, "description": "The availability zone of the point of presence."}})
capability = closed('DeviceCapability', ["media_type", "speed", "max_lag", "availability"])
device = closed('Device', ["id", "name", "pop", "facility", "capabilities"], {"capabilities": {"type": "array", "items": ref("DeviceCapability")}})
az = {"type": "object", "description": "AvailabilityZone", "additionalProperties": False, "required": ["id", "name"],
      "properties": {"id": {"type": "string"}, "name": {"type": "string", "maxLength": 80}}}

role = closed('Role', ["id", "name", "required_fields"])
contact = {"type": "object", "description": "Contact", "additionalProperties": False,
           "required": ["id", "managing_account", "consuming_account", "external_ref", "name", "telephone", "email"],
           "properties": {"id": {"type": "string"},
                          "managing_account": {"type": "string", "description": "The `id` of the account responsible for managing the contact."},
                          "consuming_account": {"type": "string", "description": "The `id` of the account the contact belongs to."},
                          "external_ref": {"type": "string", "nullable": True, "maxLength": 128},
                          "name": {"type": "string", "nullable": True, "maxLength": 128, "description": "A name of a person or an organisation"},
                          "telephone": {"type": "string", "nullable": True, "maxLength": 16, "description": "The telephone number in E.164 format"},
                          "email": {"type": "string", "nullable": True, "maxLength": 80}}}
contact_req = {"type": "object", "description": "Contact request (accounts default to the caller's)",
               "properties": {k: v for k, v in contact["properties"].items() if k != "id"}}
contact_put = dict(contact_req, required=["managing_account", "consuming_account"], description="Contact update")
role_assignment = {"type": "object", "description": "A role assignment for a contact", "additionalProperties": False,
                   "required": ["id", "role", "contact"],
                   "properties": {"id": {"type": "string"}, "role": {"type": "string"}, "contact": {"type": "string"}}}
role_assignment_req = {"type": "object", "required": ["role", "contact"],
                       "properties": {"role": {"type": "string", "description": "The `id` of a role the contact is assigned to."},
                                      "contact": {"type": "string", "description": "The `id` of a contact the role is assigned to."}}}

mac = {"type": "object", "description": "MAC-Address", "additionalProperties": False,
       "required": ["id", "managing_account", "consuming_account", "external_ref", "address", "valid_not_before", "valid_not_after"],
       "properties": {"id": {"type": "string"}, "managing_account": {"type": "string"}, "consuming_account": {"type": "string"},
                      "external_ref": {"type": "string", "nullable": True, "maxLength": 128},
                      "address": {"type": "string",
                                  "pattern": "^([0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}|[0-9A-Fa-f]{2}(-[0-9A-Fa-f]{2}){5}|[0-9A-Fa-f]{4}[.][0-9A-Fa-f]{4}[.][0-9A-Fa-f]{4}|[0-9A-Fa-f]{12})$",
                                  "description": "Unicast MAC address, exactly as it was registered (hexadecimal with colons as the spec asks, or the dash, dot or bare spelling the client used, in its case). Addresses compare case- and spelling-insensitively; jobs carry them lower-case with colons."},
                      "valid_not_before": {"type": "string", "format": "date-time", "nullable": True},
                      "valid_not_after": {"type": "string", "format": "date-time", "nullable": True}}}
mac_req = {"type": "object", "description": "MAC-Address request (accounts default to the caller's)", "required": ["address"],
           "properties": {k: v for k, v in mac["properties"].items() if k != "id"}}
mac_req = json.loads(json.dumps(mac_req))
mac_req["properties"]["address"] = {"type": "string", "description": "Unicast MAC address: colon, dash or dot separated, any case; read back as written."}

nullable_id = lambda d: {"type": "string", "nullable": True, "description": d}
ip = {"type": "object", "description": "IP-Address", "additionalProperties": False,
      "required": ["id", "managing_account", "consuming_account", "external_ref", "version", "address", "prefix_length",
                   "fqdn", "valid_not_before", "valid_not_after", "network_service", "network_service_config",
                   "network_feature", "network_feature_config"],
      "properties": {"id": {"type": "string"}, "managing_account": {"type": "string"}, "consuming_account": {"type": "string"},
                     "external_ref": {"type": "string", "nullable": True, "maxLength": 128},
                     "version": {"type": "integer", "enum": [4, 6], "description": "The version of the internet protocol."},
                     "address": {"type": "string", "description": "IPv4 in dot-decimal or IPv6 in canonical colon notation, without prefix length."},
                     "prefix_length": {"type": "integer", "minimum": 0, "maximum": 128},
                     "fqdn": {"type": "string", "nullable": True, "maxLength": 100},
                     "valid_not_before": {"type": "string", "format": "date-time", "nullable": True},
                     "valid_not_after": {"type": "string", "format": "date-time", "nullable": True},
                     "network_service": nullable_id("The network service the address belongs to."),
                     "network_service_config": nullable_id("The network service config the address belongs to."),
                     "network_feature": nullable_id("The network feature the address belongs to."),
                     "network_feature_config": nullable_id("The network feature config the address belongs to.")}}
ip_req = {"type": "object", "description": "IP-Address request (accounts default to the caller's)",
          "required": ["version", "address", "prefix_length"],
          "properties": {k: v for k, v in ip["properties"].items() if k in
                         ("managing_account", "consuming_account", "external_ref", "version", "address", "prefix_length",
                          "fqdn", "valid_not_before", "valid_not_after")}}
ip_put = dict(ip_req, required=["managing_account", "consuming_account", "version", "address", "prefix_length"],
              description="IP-Address update")
ip_patch = dict(ip_req, description="IP-Address update (partial)")
ip_patch.pop("required")

def po_common(type_values):
    dur = lambda d: {"type": "string", "nullable": True, "description": "ISO 8601 duration. " + d}
    return {"type": {"type": "string", "enum": type_values}, "id": {"type": "string"}, "name": {"type": "string", "maxLength": 80},
            "display_name": {"type": "string", "maxLength": 256},
            "exchange_logo": {"type": "string", "nullable": True}, "service_provider_logo": {"type": "string", "nullable": True},
            "product_logo": {"type": "string", "nullable": True},
            "resource_type": {"type": "string", "enum": ["connection", "port_reservation", "network_service", "network_service_config", "routing_function"]},
            "handover_metro_area_network": {"type": "string"}, "handover_metro_area": {"type": "string"},
            "physical_port_speed": {"type": "integer", "nullable": True}, "service_provider": {"type": "string"},
            "downgrade_allowed": {"type": "boolean"}, "upgrade_allowed": {"type": "boolean"},
            "orderable_not_before": {"type": "string", "format": "date-time", "nullable": True},
            "orderable_not_after": {"type": "string", "format": "date-time", "nullable": True},
            "contract_terms": {"type": "string", "nullable": True},
            "contract_initial_period": dur("The initial duration of the contract."),
            "contract_initial_notice_period": dur("The notice period for canceling within the initial period."),
            "contract_renewal_period": dur("The duration for which the contract renews after the initial period."),
            "contract_renewal_notice_period": dur("The notice period before the end of a renewal period."),
            "notice_period": {"type": "string", "nullable": True, "deprecated": True}}
po_connection = {"type": "object", "description": "Connection Product Offering", "additionalProperties": False,
                 "properties": {**po_common(["connection"]),
                                "cross_connect_initiator": {"type": "string", "enum": ["exchange", "subscriber"]},
                                "handover_pop": {"type": "string", "nullable": True},
                                "maximum_port_quantity": {"type": "integer", "nullable": True},
                                "required_contact_roles": {"type": "array", "items": {"type": "string"}}}}
po_connection["required"] = sorted(po_connection["properties"].keys())
po_service = {"type": "object", "description": "Exchange Lan Network Product Offering", "additionalProperties": False,
              "properties": {**po_common(["exchange_lan"]),
                             "provider_vlans": {"type": "string", "enum": ["single", "multi"]},
                             "service_metro_area_network": {"type": "string", "nullable": True},
                             "service_metro_area": {"type": "string", "nullable": True},
                             "bandwidth_min": {"type": "integer", "nullable": True},
                             "bandwidth_max": {"type": "integer", "nullable": True},
                             "nsc_required_l3_config_fields": {"type": "array", "items": {"type": "string"}},
                             "nsc_supported_l3_config_fields": {"type": "array", "items": {"type": "string"}},
                             "exchange_lan_network_service": {"type": "string", "nullable": True}}}
po_service["required"] = sorted(po_service["properties"].keys())
# The virtual-circuit offerings: the service fields without the exchange
# LAN's network service; cloud circuits add the provider's region, PoP,
# workflow, delivery method and diversity (2.1.0 CloudNetworkProductOffering).
def po_vc(type_value, description, extra=None):
    p = json.loads(json.dumps(po_service["properties"]))
    p.pop("exchange_lan_network_service")
    p["type"] = {"type": "string", "enum": [type_value]}
    p.update(extra or {})
    return {"type": "object", "description": description, "additionalProperties": False, "properties": p,
            "required": sorted(p.keys())}
cloud_extra = props('CloudNetworkProductOfferingPartial')
cloud_extra = {k: cloud_extra[k] for k in ["service_provider_region", "service_provider_pop", "service_provider_workflow",
                                           "delivery_method", "diversity"]}
for v in cloud_extra.values():
    v.pop('example', None)
po_types = {"connection": ("ConnectionProductOffering", po_connection),
            "exchange_lan": ("ExchangeLanNetworkProductOffering", po_service),
            "p2p_vc": ("P2PNetworkProductOffering", po_vc("p2p_vc", "P2P Network Product Offering")),
            "p2mp_vc": ("P2MPNetworkProductOffering", po_vc("p2mp_vc", "P2MP Network Product Offering")),
            "mp2mp_vc": ("MP2MPNetworkProductOffering", po_vc("mp2mp_vc", "MP2MP Network Product Offering")),
            "cloud_vc": ("CloudNetworkProductOffering", po_vc("cloud_vc", "Cloud Network Product Offering", cloud_extra))}
po_poly = {"description": "Polymorphic Product Offering (the types this exchange sells)",
           "oneOf": [ref(n) for n, _ in po_types.values()],
           "discriminator": {"propertyName": "type",
                             "mapping": {t: "#/components/schemas/" + n for t, (n, _) in po_types.items()}}}

states_enum = ap['state']['enum']
def s_(d=None, nullable=False, **kw):
    o = {"type": "string", **kw}
    if nullable: o["nullable"] = True
    if d: o["description"] = d
    return o
date_ = lambda d: {"type": "string", "format": "date", "nullable": True, "description": d}
stateful = {"state": {"type": "string", "enum": states_enum}, "status": {"type": "array", "items": ref("Status")}}
port = {"type": "object", "description": "Port", "additionalProperties": False,
        "properties": {**stateful, "managing_account": s_(), "consuming_account": s_(), "billing_account": s_(),
                       "external_ref": s_(nullable=True), "purchase_order": s_(), "contract_ref": s_(nullable=True),
                       "role_assignments": {"type": "array", "items": {"type": "string"}}, "id": s_(),
                       "connection": s_(nullable=True), "speed": {"type": "integer", "nullable": True}, "name": s_(),
                       "media_type": s_(), "operational_state": s_(enum=["up", "down"]), "device": s_(), "pop": s_()}}
port["required"] = sorted(port["properties"])
connection = {"type": "object", "description": "Connection", "additionalProperties": False,
              "properties": {**stateful, "decommission_at": date_("The day the connection is decommissioned."),
                             "charged_until": date_("The last day it is charged for."),
                             "current_billing_start_date": date_("When the current billing period started."),
                             "managing_account": s_(), "consuming_account": s_(), "billing_account": s_(),
                             "external_ref": s_(nullable=True), "purchase_order": s_(), "contract_ref": s_(nullable=True),
                             "role_assignments": {"type": "array", "items": {"type": "string"}}, "id": s_(),
                             "mode": s_(enum=["lag_lacp", "lag_static", "flex_ethernet", "standalone"]),
                             "lacp_timeout": s_(nullable=True, enum=["slow", "fast"]),
                             "product_offering": s_(), "name": s_(),
                             "ports": {"type": "array", "items": {"type": "string"}},
                             "port_reservations": {"type": "array", "items": {"type": "string"}},
                             "pop": s_(nullable=True), "speed": {"type": "integer", "nullable": True},
                             "capacity_allocated": {"type": "integer"},
                             "capacity_allocation_limit": {"type": "integer", "nullable": True},
                             "vlan_types": {"type": "array", "items": {"type": "string"}},
                             "outer_vlan_ethertypes": {"type": "array", "items": {"type": "string"}},
                             "port_quantity": {"type": "integer", "minimum": 1},
                             "subscriber_side_demarcs": {"type": "array", "items": {"type": "string"}},
                             "metro_area": s_(), "metro_area_network": s_()}}
connection["required"] = sorted(connection["properties"])
connection_req = {"type": "object", "description": "Connection order (the three accounts default to the caller's)",
                  "required": ["mode", "product_offering", "port_quantity"],
                  "properties": {"managing_account": s_(), "consuming_account": s_(),
                                 "billing_account": s_("Needs billing_information."),
                                 "external_ref": s_(nullable=True), "purchase_order": s_(), "contract_ref": s_(nullable=True),
                                 "role_assignments": {"type": "array", "items": {"type": "string"},
                                                      "description": "Must cover the offering's required_contact_roles."},
                                 "mode": connection["properties"]["mode"],
                                 "lacp_timeout": connection["properties"]["lacp_timeout"],
                                 "product_offering": s_("A product offering of type connection."),
                                 "port_quantity": {"type": "integer", "minimum": 1, "maximum": 64},
                                 "subscriber_side_demarcs": {"type": "array", "items": {"type": "string"}},
                                 "connecting_party": s_(nullable=True)}}
port_reservation = {"type": "object", "description": "A PortReservation", "additionalProperties": False,
                    "properties": {**stateful, "decommission_at": date_("Decommissioning day."),
                                   "charged_until": date_("Last day charged."),
                                   "current_billing_start_date": date_("Billing start."),
                                   "purchase_order": s_(), "contract_ref": s_(nullable=True), "external_ref": s_(nullable=True),
                                   "id": s_(), "subscriber_side_demarc": s_(nullable=True), "connecting_party": s_(nullable=True),
                                   "cross_connect_id": s_(nullable=True), "connection": s_(),
                                   "exchange_side_demarc": s_("Only once allocated or in production.", nullable=True),
                                   "port": s_("Null until a port is allocated.", nullable=True)}}
port_reservation["required"] = sorted(port_reservation["properties"])
port_reservation_req = {"type": "object", "description": "Port reservation request", "required": ["connection"],
                        "properties": {"connection": s_("The connection that gets one more port."),
                                       "purchase_order": s_(maxLength=80), "contract_ref": s_(nullable=True, maxLength=128),
                                       "external_ref": s_(nullable=True, maxLength=128),
                                       "subscriber_side_demarc": s_("Required when the exchange patches (cross_connect_initiator exchange).", nullable=True, maxLength=128),
                                       "connecting_party": s_(nullable=True, maxLength=128),
                                       "cross_connect_id": s_("An optional identifier of a cross connect (the member may set it; the exchange may fill it in when it allocates the port).", nullable=True, maxLength=128)}}
port_reservation_patch = json.loads(json.dumps(port_reservation_req))
port_reservation_patch.pop("required")
port_reservation_patch["properties"].pop("connection")
port_reservation_patch["description"] = ("Port reservation update. `port` (allocates a free inventory port at the offering's handover PoP "
                                         "with its speed; null releases it), `exchange_side_demarc` and `state` are the operators' (403 otherwise).")
port_reservation_patch["properties"].update({"port": s_("The id of a free inventory port.", nullable=True),
                                             "exchange_side_demarc": s_(nullable=True, maxLength=128),
                                             "state": {"type": "string", "enum": states_enum}})
cancellation_policy = {"type": "object", "description": "Cancellation Policy", "additionalProperties": False,
                       "required": ["decommission_at", "charged_until"],
                       "properties": {"decommission_at": {"type": "string", "format": "date",
                                                          "description": "The first possible cancellation date."},
                                      "charged_until": {"type": "string", "format": "date",
                                                        "description": "The obligation to pay ends on this date."}}}
cancellation_request = {"type": "object", "description": "Service Cancellation Request", "nullable": True,
                        "properties": {"decommission_at": {"type": "string", "format": "date", "nullable": True}}}

def prob(status, desc, types, title):
    schema = {"allOf": [ref("ProblemResponse"), {"type": "object", "properties": {
        "type": {"type": "string", "enum": types}, "status": {"type": "integer", "enum": [status]}}}]}
    example = {"type": types[0], "title": title, "status": status, "detail": desc}
    return {"description": desc, "content": {"application/problem+json": {"schema": schema, "example": example}}}

R = {
 "ValidationError": prob(400, "Some fields did not validate.", [E + "validation-error.html"], "Some fields did not validate."),
 "UnableToFulfill": prob(400, "The request cannot be fulfilled.", [E + "unable-to-fulfill.html", E + "validation-error.html"], "Unable To Fulfill"),
 "Authentication": prob(401, "Authentication credentials are missing, invalid or expired.",
                        [E + "authentication-error.html", E + "signature-expired.html"], "Authentication Credentials Invalid"),
 "PermissionDenied": prob(403, "You do not have permission to perform this action.", [E + "permission-denied.html"], "You do not have permission to perform this action."),
 "NotFound": prob(404, "The object does not exist or is not visible to you.", [E + "not-found.html"], "Not Found"),
 "PayloadTooLarge": prob(413, "The request body exceeds 1 MiB.", ["about:blank"], "Payload Too Large"),
 "UnsupportedMediaType": prob(415, "The request body is not JSON.", ["about:blank"], "Unsupported Media Type"),
 "CancellationPolicyError": prob(400, "The cancellation policy does not allow this.",
                                  [E + "cancellation-policy-error.html", E + "unable-to-fulfill.html", E + "validation-error.html"],
                                  "The cancellation policy does not allow this date."),
 "Conflict": prob(409, "The object is still in use.", ["about:blank"], "Conflict"),
 "ServiceUnavailable": prob(503, "The database is unavailable; try again shortly.", ["about:blank"], "Service Unavailable"),
}
def r(n): return {"$ref": "#/components/responses/" + n}
def ok(desc, schema, status_code="200"):
    return {status_code: {"description": desc, "content": {"application/json": {"schema": schema}}}}
def body(schema_name):
    return {"required": True, "content": {"application/json": {"schema": ref(schema_name)}}}
idp = {"name": "id", "in": "path", "required": True, "description": "Get by id", "schema": {"type": "string"}}
def q(name, desc, schema=None, **kw):
    d = {"name": name, "in": "query", "required": False, "description": desc, "schema": schema or {"type": "string"}}
    d.update(kw); return d
page_params = [q("page_limit", "The maximum number of items in the response (pagination).", {"type": "integer", "minimum": 1}),
               q("page_offset", "The offset of the first item in the response (pagination).", {"type": "integer", "minimum": 0})]
def page_response(schema, what):
    return {"206": {"description": "A page of the " + what + ": asked for with page_limit and/or page_offset.",
                    "headers": {"X-Total-Count": {"description": "The number of items in the whole list.", "schema": {"type": "integer"}},
                                "X-Next-Offset": {"description": "The page_offset of the next page; absent on the last page.", "schema": {"type": "integer"}}},
                    "content": {"application/json": {"schema": {"type": "array", "items": ref(schema)}}}}}

write_errs = {"400": r("ValidationError"), "401": r("Authentication"), "403": r("PermissionDenied"),
              "413": r("PayloadTooLarge"), "415": r("UnsupportedMediaType"), "503": r("ServiceUnavailable")}
read_errs = {"401": r("Authentication"), "403": r("PermissionDenied"), "503": r("ServiceUnavailable")}
public = []
paths = {
 "/health": {"get": {"operationId": "api_health_read", "tags": ["health"], "summary": "Health status", "security": public,
     "description": "Service health following draft-inadarei-api-health-check, with a PostgreSQL check.",
     "responses": {**ok("Healthy.", ref("APIHealth")),
                   "503": {"description": "Unhealthy: the database is unreachable.", "content": {"application/json": {"schema": ref("APIHealth")}}}}}},
 "/auth/token": {"post": {"operationId": "auth_token_create", "tags": ["auth"], "summary": "Create Auth Token", "security": public,
     "description": "Exchange an API key and secret for an access token (1 hour) and a refresh token (7 days).",
     "requestBody": body("AuthTokenRequest"),
     "responses": {**ok("Tokens.", ref("AuthToken"), "201"), "400": r("ValidationError"), "401": r("Authentication"),
                   "413": r("PayloadTooLarge"), "415": r("UnsupportedMediaType"), "503": r("ServiceUnavailable")}}},
 "/auth/refresh": {"post": {"operationId": "auth_token_refresh", "tags": ["auth"], "summary": "Refresh Auth Token", "security": public,
     "description": "Exchange a refresh token for a new token pair. The refresh token is revoked (rotation).",
     "requestBody": body("RefreshTokenRequest"),
     "responses": {**ok("Tokens.", ref("AuthToken"), "201"), "400": r("ValidationError"), "401": r("Authentication"),
                   "413": r("PayloadTooLarge"), "415": r("UnsupportedMediaType"), "503": r("ServiceUnavailable")}}},
 "/openapi.json": {"get": {"operationId": "openapi_read", "tags": ["implementation"], "summary": "This OpenAPI document", "security": public,
     "description": "The OpenAPI document of the routes this server serves (not an IX-API operation).",
     "responses": ok("The document.", {"type": "object"})}},
 "/implementation": {"get": {"operationId": "api_implementation_read", "tags": ["implementation"], "summary": "Read implementation details",
     "description": "Schema version and the operations this server implements (generated from its route table).",
     "responses": {**ok("Implementation.", ref("APIImplementation")), "401": r("Authentication")}}},
 "/extensions": {"get": {"operationId": "api_extensions_list", "tags": ["extensions"], "summary": "List implementation specific extensions",
     "responses": {**ok("Extensions: jobs (the outbox, operators only), quarantine (re-test of a peering-LAN config in testing), route_servers (IRR/RPKI data, re-enabling a session; operators only).", {"type": "array", "items": ref("APIExtension")}), "401": r("Authentication")}}},
 "/account": {"get": {"operationId": "account_read", "tags": ["accounts"], "summary": "Read the caller's own account",
     "responses": {**ok("The account.", ref("Account")), **read_errs, "404": r("NotFound")}}},
 "/accounts": {
   "get": {"operationId": "accounts_list", "tags": ["accounts"], "summary": "List accounts",
     "description": "The caller's account and the accounts it manages (recursively); operators see all accounts. Unknown query parameters are ignored; invalid filter values are validation errors.",
     "parameters": [q("id", "Filter by id (comma-separated and/or repeated).", {"type": "array", "items": {"type": "string"}}, style="form", explode=False),
                    q("state", "Filter by state", {"type": "string", "enum": ap['state']['enum']}),
                    q("state__is_not", "Filter by state__is_not", {"type": "string", "enum": ap['state']['enum']}),
                    q("managing_account", "Filter by managing_account"), q("name", "Filter by name"), q("external_ref", "Filter by external_ref")] + page_params,
     "responses": {**ok("Accounts.", {"type": "array", "items": ref("Account")}), **page_response("Account", "accounts"),
                   "400": r("ValidationError"), **read_errs}},
   "post": {"operationId": "accounts_create", "tags": ["accounts"], "summary": "Create an account",
     "description": "A member's new account is managed by the member unless it names another account the member manages.",
     "requestBody": body("AccountRequest"), "responses": {**ok("Created.", ref("Account"), "201"), **write_errs}}},
 "/accounts/{id}": {
   "parameters": [idp],
   "get": {"operationId": "accounts_read", "tags": ["accounts"], "summary": "Read an account",
     "responses": {**ok("The account.", ref("Account")), **read_errs, "404": r("NotFound")}},
   "put": {"operationId": "accounts_update", "tags": ["accounts"], "summary": "Update an account (deprecated: use PATCH)", "deprecated": True,
     "requestBody": body("AccountUpdate"), "responses": {**ok("Updated.", ref("Account"), "202"), **write_errs, "404": r("NotFound")}},
   "patch": {"operationId": "accounts_partial_update", "tags": ["accounts"], "summary": "Update parts of an account",
     "requestBody": body("AccountPatch"), "responses": {**ok("Updated.", ref("Account"), "202"), **write_errs, "404": r("NotFound")}},
   "delete": {"operationId": "accounts_destroy", "tags": ["accounts"], "summary": "Delete an account",
     "description": "Refused (400 unable-to-fulfill) for the caller's own account and for an account that still manages others.",
     "responses": {**ok("The deleted account as it was.", ref("Account")), "400": r("UnableToFulfill"), **read_errs, "404": r("NotFound"),
                   "413": r("PayloadTooLarge")}}},
}
def intq(name): return q(name, "Filter by " + name, {"type": "integer", "minimum": 0, "maximum": 2147483647})
def textq(name): return q(name, "Filter by " + name)
idq = q("id", "Filter by id (comma-separated and/or repeated).", {"type": "array", "items": {"type": "string"}}, style="form", explode=False)
capq = [intq("capability_speed"), intq("capability_speed_lt"), intq("capability_speed_lte"), intq("capability_speed_gt"),
        intq("capability_speed_gte"), textq("capability_media_type")]
def catalog(path, op, tag, schema, params, what):
    paths[path] = {"get": {"operationId": op + "_list", "tags": [tag], "summary": "List " + what,
        "parameters": params + page_params,
        "responses": {**ok(what.capitalize() + ".", {"type": "array", "items": ref(schema)}), **page_response(schema, what),
                      "400": r("ValidationError"), **read_errs}}}
    paths[path + "/{id}"] = {"parameters": [idp], "get": {"operationId": op + "_read", "tags": [tag], "summary": "Read " + what,
        "responses": {**ok("One of the " + what + ".", ref(schema)), **read_errs, "404": r("NotFound")}}}
catalog("/metro-areas", "metro_areas", "catalog", "MetroArea", [idq], "metro areas")
catalog("/metro-area-networks", "metro_area_networks", "catalog", "MetroAreaNetwork",
        [idq, textq("name"), textq("metro_area"), textq("service_provider")], "metro area networks")
catalog("/facilities", "facilities", "catalog", "Facility",
        [idq] + capq + [textq(n) for n in ["organisation_name", "metro_area", "metro_area_network", "address_country", "address_locality", "postal_code"]],
        "facilities")
catalog("/pops", "pops", "catalog", "PointOfPresence", [idq] + capq + [textq("facility"), textq("metro_area_network")], "points of presence")
catalog("/devices", "devices", "catalog", "Device",
        [idq] + capq + [textq(n) for n in ["name", "facility", "pop", "metro_area_network"]], "devices")
catalog("/availability-zones", "availability_zones", "catalog", "AvailabilityZone", [idq, textq("name")], "availability zones")

def enumq(name, values): return q(name, "Filter by " + name, {"type": "string", "enum": values})
catalog("/product-offerings", "product_offerings", "product-offerings", "ProductOffering",
        [idq, enumq("type", ["connection", "exchange_lan", "p2p_vc", "p2mp_vc", "mp2mp_vc", "cloud_vc", "routing_function"]),
         enumq("resource_type", ["connection", "port_reservation", "network_service", "network_service_config", "routing_function"])]
        + [textq(n) for n in ["name", "handover_metro_area", "handover_metro_area_network", "handover_pop", "service_metro_area",
                              "service_metro_area_network", "service_provider"]]
        + [enumq("downgrade_allowed", ["true", "false"]), enumq("upgrade_allowed", ["true", "false"]),
           intq("bandwidth"), intq("physical_port_speed"), textq("service_provider_region"), textq("service_provider_pop"),
           enumq("delivery_method", ["dedicated", "shared"]), textq("cloud_key")]
        + [textq(n) for n in ["contract_initial_period", "contract_initial_notice_period", "contract_renewal_period",
                              "contract_renewal_notice_period"]], "product offerings")
catalog("/ports", "ports", "ports", "Port",
        [idq, enumq("state", states_enum), enumq("state__is_not", states_enum)]
        + [textq(n) for n in ["managing_account", "consuming_account", "external_ref", "media_type", "pop", "name", "device"]]
        + [intq("speed"), textq("connection")], "ports")
catalog("/connections", "connections", "connections", "Connection",
        [idq, enumq("state", states_enum), enumq("state__is_not", states_enum), textq("managing_account"),
         textq("consuming_account"), textq("external_ref"),
         enumq("mode", ["lag_lacp", "lag_static", "flex_ethernet", "standalone"]),
         enumq("mode__is_not", ["lag_lacp", "lag_static", "flex_ethernet", "standalone"])]
        + [textq(n) for n in ["name", "metro_area", "metro_area_network", "pop", "product_offering"]], "connections")
paths["/connections"]["post"] = {"operationId": "connections_create", "tags": ["connections"], "summary": "Order a connection",
    "description": "Reserves `port_quantity` ports (port reservations) and queues the order for the exchange.",
    "requestBody": body("ConnectionRequest"), "responses": {**ok("Ordered.", ref("Connection"), "201"), **write_errs}}
connection_patch = json.loads(json.dumps(connection_req))
connection_patch.pop("required")
connection_patch["description"] = "Connection update: mode, product_offering and port_quantity cannot change; state is the operators'."
connection_patch["properties"]["state"] = {"type": "string", "enum": states_enum}
connection_put = dict(connection_patch, required=["managing_account", "consuming_account", "billing_account", "mode", "product_offering"])
paths["/connections/{id}"]["put"] = {"operationId": "connections_update", "tags": ["connections"], "deprecated": True,
    "summary": "Update a connection (deprecated: use PATCH)", "requestBody": body("ConnectionUpdate"),
    "responses": {**ok("Updated.", ref("Connection"), "202"), **write_errs, "404": r("NotFound")}}
paths["/connections/{id}"]["patch"] = {"operationId": "connections_partial_update", "tags": ["connections"],
    "summary": "Update parts of a connection", "requestBody": body("ConnectionPatch"),
    "responses": {**ok("Updated.", ref("Connection"), "202"), **write_errs, "404": r("NotFound")}}
paths["/connections/{id}"]["delete"] = {"operationId": "connections_destroy", "tags": ["connections"],
    "summary": "Request decommissioning",
    "description": "Optional body `{\"decommission_at\": \"YYYY-MM-DD\"}`; an empty body, `null` and `{}` ask for the earliest date the cancellation policy allows.",
    "requestBody": {"required": False, "content": {"application/json": {"schema": ref("CancellationRequest")}}},
    "responses": {**ok("The connection, decommission requested.", ref("Connection"), "202"),
                  "400": r("CancellationPolicyError"), **read_errs, "404": r("NotFound"), "413": r("PayloadTooLarge"),
                  "415": r("UnsupportedMediaType")}}
paths["/connections/{id}/cancellation-policy"] = {"parameters": [idp], "get": {
    "operationId": "connections_cancellation_policy_read", "tags": ["connections"], "summary": "Read the cancellation policy",
    "parameters": [q("decommission_at", "The day you would like to decommission on (YYYY-MM-DD); default today.",
                     {"type": "string", "format": "date"})],
    "responses": {**ok("The earliest decommissioning date and the end of charges.", ref("CancellationPolicy")),
                  "400": r("ValidationError"), **read_errs, "404": r("NotFound")}}}
paths["/connections/{id}/loa"] = {"parameters": [idp],
    "get": {"operationId": "connections_loa_read", "tags": ["connections"], "summary": "Download the LOA",
            "description": "The member's uploaded LOA when there is one; otherwise the exchange renders its own.",
            "responses": {"200": {"description": "A Letter Of Authorization",
                                  "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}},
                          **read_errs, "404": r("NotFound")}},
    "post": {"operationId": "connections_loa_create", "tags": ["connections"], "summary": "Upload an LOA",
             "requestBody": {"required": True, "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}},
             "responses": {**ok("The upload was successful.", {"type": "object", "additionalProperties": False,
                                 "required": ["connection", "size", "uploaded_at"],
                                 "properties": {"connection": {"type": "string"}, "size": {"type": "integer"},
                                                "uploaded_at": {"type": "string", "format": "date-time"}}}),
                           "400": r("ValidationError"), **read_errs, "404": r("NotFound"), "413": r("PayloadTooLarge"),
                           "415": r("UnsupportedMediaType")}}}
catalog("/port-reservations", "port_reservations", "port-reservations", "PortReservation",
        [idq, enumq("state", states_enum), enumq("state__is_not", states_enum), textq("connection"), textq("port"),
         textq("external_ref")], "port reservations")

# Network services, features, service configs and feature configs (issue 4).
acct = lambda: s_()
ids_ = {"type": "array", "items": {"type": "string"}}
int_n = lambda d=None, **kw: {"type": "integer", "nullable": True, **({"description": d} if d else {}), **kw}
service_types = ["exchange_lan", "p2p_vc", "p2mp_vc", "mp2mp_vc", "cloud_vc"]
ns_common = {"type": {"type": "string", "enum": service_types}, "id": s_(), **stateful,
             "managing_account": s_(), "consuming_account": s_(), "external_ref": s_(nullable=True),
             "product_offering": s_(), "nsc_required_contact_roles": ids_}
dates_ = {"decommission_at": {"type": "string", "format": "date", "description": "Decommissioning day (absent until requested)."},
          "charged_until": {"type": "string", "format": "date", "description": "Last day charged (absent until known)."},
          "current_billing_start_date": {"type": "string", "format": "date", "description": "Billing start (absent until known)."}}
ns_billed = {"billing_account": s_(), "purchase_order": s_(), "contract_ref": s_(nullable=True), **dates_,
             "display_name": s_(nullable=True)}
# Left out when unset (2.1.0 types them as non-nullable strings).
absent_when_unset = {"decommission_at", "charged_until", "current_billing_start_date", "product_offering"}
def obj(desc, props_, required=None):
    return {"type": "object", "description": desc, "additionalProperties": False, "properties": props_,
            "required": sorted(required if required is not None else set(props_.keys()) - absent_when_unset)}
ns_lan = obj("Exchange Lan Network Service (the peering LAN)",
             {**ns_common, "network_features": ids_, "name": s_(maxLength=40), "metro_area_network": s_(),
              "peeringdb_ixid": int_n(), "ixfdb_ixid": int_n(), "subnet_v4": s_(), "subnet_v6": s_()})
ns_p2p = obj("P2P Network Service", {**ns_common, **ns_billed, "joining_member_account": s_(),
                                     "capacity": int_n(minimum=1)})
ns_mp = lambda t: obj(t + " Network Service", {**ns_common, **ns_billed, "name": s_(nullable=True), "public": {"type": "boolean"},
                                             "network_features": ids_, "member_joining_rules": ids_})
ns_cloud = obj("Cloud Network Service", {**ns_common, **ns_billed, "capacity": int_n(minimum=1),
                                         "cloud_key": s_(nullable=True), "diversity": {"type": "integer"}})
ns_poly = {"description": "Polymorphic Network Service",
           "oneOf": [ref(n) for n in ["ExchangeLanNetworkService", "P2PNetworkService", "P2MPNetworkService",
                                      "MP2MPNetworkService", "CloudNetworkService"]],
           "discriminator": {"propertyName": "type", "mapping": {
               "exchange_lan": "#/components/schemas/ExchangeLanNetworkService",
               "p2p_vc": "#/components/schemas/P2PNetworkService", "p2mp_vc": "#/components/schemas/P2MPNetworkService",
               "mp2mp_vc": "#/components/schemas/MP2MPNetworkService", "cloud_vc": "#/components/schemas/CloudNetworkService"}}}
ns_req = {"type": "object", "description": "Network service request. exchange_lan: operators only (name, metro_area_network, subnet_v4, subnet_v6); "
          "p2p_vc: product_offering, joining_member_account (an account in the caller's subtree or a discoverable one); p2mp_vc/mp2mp_vc: product_offering, name; cloud_vc: product_offering. "
          "Operators may also set the LAN's settings max_macs_per_config (the one-MAC-per-port rule, default 1) and "
          "max_prefix_ceiling_v4/_v6 (the ceiling of members' max_prefix values), and state.",
          "required": ["type"],
          "properties": {"type": {"type": "string", "enum": service_types}, "managing_account": s_(), "consuming_account": s_(),
                         "billing_account": s_(), "external_ref": s_(nullable=True), "purchase_order": s_(),
                         "contract_ref": s_(nullable=True), "product_offering": s_(), "name": s_(maxLength=40),
                         "display_name": s_(nullable=True), "metro_area_network": s_(), "peeringdb_ixid": int_n(),
                         "ixfdb_ixid": int_n(), "subnet_v4": s_(), "subnet_v6": s_(), "joining_member_account": s_(),
                         "capacity": int_n(minimum=1), "public": {"type": "boolean"}, "cloud_key": s_(nullable=True),
                         "diversity": int_n(minimum=1), "state": {"type": "string", "enum": states_enum},
                         "max_macs_per_config": {"type": "integer", "minimum": 1, "maximum": 64},
                         "max_prefix_ceiling_v4": {"type": "integer", "minimum": 0},
                         "max_prefix_ceiling_v6": {"type": "integer", "minimum": 0},
                         "nsc_required_contact_roles": ids_}}
ns_patch = dict(ns_req, description="Network service update (partial); type cannot change; a p2p_vc changes capacity through its change request")
ns_patch = {k: v for k, v in ns_patch.items() if k != "required"}
change_request = obj("NetworkServiceChangeRequest", {"product_offering": s_(), "capacity": int_n(minimum=1)})
change_request_req = {"type": "object", "description": "NetworkServiceChangeRequest", "required": ["product_offering"],
                      "properties": {"product_offering": s_("A p2p_vc offering; it may differ in bandwidth only."),
                                     "capacity": int_n("Within the offering's bandwidth_min and bandwidth_max.", minimum=1)}}
flag = obj("IXP-specific feature flag", {"name": s_(maxLength=20), "description": s_(maxLength=80), "mandatory": {"type": "boolean"}})
feature = obj("Route Server Network Feature",
              {"type": {"type": "string", "enum": ["route_server"]}, "id": s_(), "name": s_(), "required": {"type": "boolean"},
               "nfc_required_contact_roles": ids_, "flags": {"type": "array", "items": ref("IXPSpecificFeatureFlag")},
               "network_service": s_(), "asn": {"type": "integer", "minimum": 0}, "fqdn": s_(),
               "looking_glass_url": s_(nullable=True), "address_families": ids_,
               "session_mode": s_(enum=["public", "collector"]), "available_bgp_session_types": ids_,
               "ip_v4": s_(nullable=True), "ip_v6": s_(nullable=True)})
vlan_dot1q = obj("VLAN config dot1q", {"vlan_type": s_(enum=["dot1q"]), "vlan": {"type": "integer", "minimum": 1, "maximum": 4094},
                                        "vlan_ethertype": s_(enum=["0x8100", "0x88a8", "0x9100"])})
vlan_qinq = obj("VLAN config QinQ", {"vlan_type": s_(enum=["qinq"]), "outer_vlan": {"type": "integer", "minimum": 1, "maximum": 4094},
                                      "inner_vlan": {"type": "integer", "minimum": 1, "maximum": 4094},
                                      "outer_vlan_ethertype": s_(enum=["0x8100", "0x88a8", "0x9100"])})
vlan_port = obj("VLAN config port", {"vlan_type": s_(enum=["port"])})
vlan_poly = {"description": "VLAN config (never null in a response)", "oneOf": [ref("VLanConfigDot1Q"), ref("VLanConfigQinQ"), ref("VLanConfigPort")],
             "discriminator": {"propertyName": "vlan_type", "mapping": {"dot1q": "#/components/schemas/VLanConfigDot1Q",
                                                                        "qinq": "#/components/schemas/VLanConfigQinQ",
                                                                        "port": "#/components/schemas/VLanConfigPort"}}}
vlan_req = {"type": "object", "description": "VLAN config: vlan (dot1q) or outer_vlan (qinq) null or absent lets the exchange pick the lowest free one on the connection.",
            "required": ["vlan_type"], "properties": {"vlan_type": s_(enum=["port", "dot1q", "qinq"]),
                                                     "vlan": int_n(minimum=1, maximum=4094), "vlan_ethertype": s_(enum=["0x8100", "0x88a8", "0x9100"]),
                                                     "outer_vlan": int_n(minimum=1, maximum=4094), "inner_vlan": {"type": "integer", "minimum": 1, "maximum": 4094},
                                                     "outer_vlan_ethertype": s_(enum=["0x8100", "0x88a8", "0x9100"])}}
nsc_common = {"type": {"type": "string", "enum": service_types}, "id": s_(), **stateful, "network_service": s_(),
              "managing_account": s_(), "consuming_account": s_(), "billing_account": s_(), "external_ref": s_(nullable=True),
              "purchase_order": s_(), "contract_ref": s_(nullable=True), "product_offering": s_(),
              **dates_, "role_assignments": ids_, "connection": s_(),
              "capacity": int_n(minimum=1), "vlan_config": ref("VlanConfig")}
nsc_lan = obj("Exchange Lan Network Service Config", {**nsc_common, "asns": {"type": "array", "items": {"type": "integer", "format": "int64"}},
                                                       "listed": {"type": "boolean"}, "consumer_side_ready": {"type": "boolean"},
                                                       "macs": ids_, "ips": ids_, "network_feature_configs": ids_,
                                                       "shared_statistics": ref("SharedStatisticsConfig")})
shared_stats = {"description": "Who may see the config's statistics (nsc_available_capacity...): `deny` (the default) with the accounts allowed, or `allow` with the accounts denied.",
                "oneOf": [ref("SharedStatisticsConfigAllow"), ref("SharedStatisticsConfigDeny")],
                "discriminator": {"propertyName": "policy", "mapping": {"allow": "#/components/schemas/SharedStatisticsConfigAllow",
                                                                        "deny": "#/components/schemas/SharedStatisticsConfigDeny"}}}
shared_allow = obj("Shared statistics: everyone but the denied accounts", {"policy": s_(enum=["allow"]), "accounts_denied": ids_})
shared_deny = obj("Shared statistics: nobody but the allowed accounts", {"policy": s_(enum=["deny"]), "accounts_allowed": ids_})
nsc_vc = lambda t: obj(t + " Network Service Config", dict(nsc_common, type={"type": "string", "enum": service_types}))
nsc_poly = {"description": "Polymorphic Network Service Config",
            "oneOf": [ref("ExchangeLanNetworkServiceConfig"), ref("VCNetworkServiceConfig")],
            "discriminator": {"propertyName": "type", "mapping": {
                "exchange_lan": "#/components/schemas/ExchangeLanNetworkServiceConfig",
                "p2p_vc": "#/components/schemas/VCNetworkServiceConfig", "p2mp_vc": "#/components/schemas/VCNetworkServiceConfig",
                "mp2mp_vc": "#/components/schemas/VCNetworkServiceConfig", "cloud_vc": "#/components/schemas/VCNetworkServiceConfig"}}}
nsc_req = {"type": "object", "description": "Network service config request (accounts default to the caller's). On the peering LAN: "
           "asns (public ASNs only, at least one), macs (at most the LAN's max_macs_per_config: one by default); the exchange allocates one IPv4 and one IPv6 address.",
           "required": ["type", "network_service", "connection", "vlan_config"],
           "properties": {"type": {"type": "string", "enum": service_types}, "network_service": s_(), "connection": s_(),
                          "managing_account": s_(), "consuming_account": s_(), "billing_account": s_(),
                          "external_ref": s_(nullable=True), "purchase_order": s_(), "contract_ref": s_(nullable=True),
                          "product_offering": s_(nullable=True), "role_assignments": ids_, "capacity": int_n(minimum=1),
                          "vlan_config": ref("VlanConfigRequest"), "asns": {"type": "array", "items": {"type": "integer"}},
                          "macs": ids_, "listed": {"type": "boolean"}, "consumer_side_ready": {"type": "boolean"},
                          "shared_statistics": {"type": "object", "description": "{\"policy\": \"allow\", \"accounts_denied\": [...]} or {\"policy\": \"deny\", \"accounts_allowed\": [...]} (default: deny, nobody).",
                                                "required": ["policy"],
                                                "properties": {"policy": s_(enum=["allow", "deny"]), "accounts_denied": ids_, "accounts_allowed": ids_}}}}
nsc_patch = {"type": "object", "description": "Network service config update (partial): type, network_service and connection cannot change; state is the operators' (production needs a MAC and a feature config for every required feature).",
             "properties": {**nsc_req["properties"], "state": {"type": "string", "enum": states_enum}}}
nsc_put = dict(nsc_patch, required=["type", "managing_account", "consuming_account", "vlan_config"], description="Network service config update")
flag_cfg = obj("IXP-specific feature flag config", {"name": s_(maxLength=20), "enabled": {"type": "boolean"}})
nfc = obj("Route Server Network Feature Config",
          {"type": {"type": "string", "enum": ["route_server"]}, "id": s_(), **stateful, "network_feature": s_(),
           "network_service_config": s_(), "managing_account": s_(), "consuming_account": s_(), "billing_account": s_(),
           "external_ref": s_(nullable=True), "purchase_order": s_(), "contract_ref": s_(nullable=True), "role_assignments": ids_,
           "asn": {"type": "integer", "format": "int64", "minimum": 0, "maximum": 4294967295},
           "as_set_v4": s_(nullable=True, maxLength=100), "as_set_v6": s_(nullable=True, maxLength=100),
           "max_prefix_v4": int_n(minimum=0), "max_prefix_v6": int_n(minimum=0), "insert_ixp_asn": {"type": "boolean"},
           "session_mode": s_(enum=["public", "collector"]), "bgp_session_type": s_(enum=["active", "passive"]),
           "password": s_("TCP-MD5 key of the session: at most 80 characters (the kernel's limit), printable ASCII without \" and \\; empty: none.",
                           maxLength=80, pattern="^[ !#-\\[\\]-~]*$"), "ip": s_(), "flags": {"type": "array", "items": ref("IXPSpecificFeatureFlagConfig")},
           **dates_})
nfc_req = {"type": "object", "description": "Route server session request (accounts default to the caller's). asn: one of the service config's; ip: one of its IPs; "
           "bgp_session_type: passive (the route servers never open sessions); flags: enable at most one filtering mode (irrdb_rpki, the default; irrdb; rpki; tagging); "
           "max_prefix_v4/_v6 null or absent: the exchange's dynamic per-AS limit (100 while the announced count is unknown).",
           "required": ["type", "network_feature", "network_service_config", "asn", "ip"],
           "properties": {k: v for k, v in nfc["properties"].items() if k not in ("id", "state", "status", "decommission_at", "charged_until", "current_billing_start_date")}}
nfc_patch = {"type": "object", "description": "Route server session update (partial): network_feature and network_service_config cannot change; state is the operators'.",
             "properties": {**nfc_req["properties"], "state": {"type": "string", "enum": states_enum}}}
nfc_put = dict(nfc_patch, required=["type", "managing_account", "consuming_account", "asn", "ip"], description="Route server session update")

def crud(path, op, tag, schema, params, what, req, patch, put, created="201", delete_desc=None):
    catalog(path, op, tag, schema, params, what)
    paths[path]["post"] = {"operationId": op + "_create", "tags": [tag], "summary": "Create " + what,
        "requestBody": body(req), "responses": {**ok("Created.", ref(schema), created), **write_errs}}
    # (400s of these writes are validation errors, as 2.1.0 lists)
    paths[path + "/{id}"]["put"] = {"operationId": op + "_update", "tags": [tag], "deprecated": True,
        "summary": "Update " + what + " (deprecated: use PATCH)", "requestBody": body(put),
        "responses": {**ok("Updated.", ref(schema), "202"), **write_errs, "404": r("NotFound")}}
    paths[path + "/{id}"]["patch"] = {"operationId": op + "_partial_update", "tags": [tag], "summary": "Update parts of " + what,
        "requestBody": body(patch), "responses": {**ok("Updated.", ref(schema), "202"), **write_errs, "404": r("NotFound")}}
    paths[path + "/{id}"]["delete"] = {"operationId": op + "_destroy", "tags": [tag], "summary": "Request decommissioning",
        "description": delete_desc or "Optional body `{\"decommission_at\": \"YYYY-MM-DD\"}`; an empty body, `null` and `{}` ask for the earliest date the cancellation policy allows.",
        "requestBody": {"required": False, "content": {"application/json": {"schema": ref("CancellationRequest")}}},
        "responses": {**ok("Decommission requested.", ref(schema), "202"), "400": r("CancellationPolicyError"),
                      **read_errs, "404": r("NotFound"), "413": r("PayloadTooLarge"), "415": r("UnsupportedMediaType")}}
def policy_path(path, op, tag):
    paths[path + "/{id}/cancellation-policy"] = {"parameters": [idp], "get": {
        "operationId": op, "tags": [tag], "summary": "Read the cancellation policy",
        "parameters": [q("decommission_at", "The day you would like to decommission on (YYYY-MM-DD); default today.", {"type": "string", "format": "date"})],
        "responses": {**ok("The earliest decommissioning date and the end of charges.", ref("CancellationPolicy")),
                      "400": r("ValidationError"), **read_errs, "404": r("NotFound")}}}
owned_q = [idq, enumq("state", states_enum), enumq("state__is_not", states_enum), textq("managing_account"),
           textq("consuming_account"), textq("external_ref")]
crud("/network-services", "network_services", "network-services", "NetworkService",
     owned_q + [enumq("type", service_types), textq("pop"), textq("product_offering")], "network services",
     "NetworkServiceRequest", "NetworkServicePatch", "NetworkServiceUpdate",
     delete_desc="Decommissions the service, its configs and their feature configs (optional body as for connections). The exchange_lan is the operators'.")
policy_path("/network-services", "network_service_cancellation_policy_read", "network-services")
cr_resp = lambda d: {**ok(d, ref("NetworkServiceChangeRequest"), "202")}
paths["/network-services/{id}/change-request"] = {"parameters": [idp],
    "get": {"operationId": "network_service_change_request_read", "tags": ["network-services"], "summary": "Read the pending change request",
            "responses": {**cr_resp("The pending change."), **read_errs, "404": r("NotFound")}},
    "post": {"operationId": "network-service-change-request_create", "tags": ["network-services"], "summary": "Request a change of a p2p_vc",
             "description": "One at a time; the service goes to production_change_pending until an operator applies it.",
             "requestBody": body("NetworkServiceChangeRequestRequest"),
             "responses": {**cr_resp("Requested."), "400": r("UnableToFulfill"), **read_errs, "404": r("NotFound"),
                           "413": r("PayloadTooLarge"), "415": r("UnsupportedMediaType")}},
    "delete": {"operationId": "network_service_change_request_destroy", "tags": ["network-services"], "summary": "Withdraw the change request",
               "responses": {**cr_resp("The withdrawn change."), "400": r("UnableToFulfill"), **read_errs, "404": r("NotFound")}}}
catalog("/network-features", "network_features", "network-features", "NetworkFeature",
        [idq, enumq("type", ["route_server"]), enumq("required", ["true", "false"]), textq("network_service"), textq("name")],
        "network features")
crud("/network-service-configs", "network_service_configs", "network-service-configs", "NetworkServiceConfig",
     owned_q + [enumq("type", service_types), intq("inner_vlan"), intq("outer_vlan"), intq("capacity"), textq("network_service"),
                textq("connection"), textq("product_offering"),
                q("role_assignments", "Filter by role_assignments", {"type": "array", "items": {"type": "string"}}, style="form", explode=False),
                q("contacts", "Filter by contacts", {"type": "array", "items": {"type": "string"}}, style="form", explode=False)],
     "network service configs", "NetworkServiceConfigRequest", "NetworkServiceConfigPatch", "NetworkServiceConfigUpdate",
     delete_desc="Decommissions the config and its feature configs (optional body as for connections).")
policy_path("/network-service-configs", "network_service_config_cancellation_policy_read", "network-service-configs")
crud("/network-feature-configs", "network_feature_configs", "network-feature-configs", "NetworkFeatureConfig",
     owned_q + [enumq("type", ["route_server"]), textq("service_config"), textq("network_service_config"), textq("network_feature"),
                q("role_assignments", "Filter by role_assignments", {"type": "array", "items": {"type": "string"}}, style="form", explode=False),
                q("contacts", "Filter by contacts", {"type": "array", "items": {"type": "string"}}, style="form", explode=False)],
     "network feature configs", "NetworkFeatureConfigRequest", "NetworkFeatureConfigPatch", "NetworkFeatureConfigUpdate",
     delete_desc="Decommissions the session (not its service config; optional body as for connections).")
services_schemas = {"SharedStatisticsConfig": shared_stats, "SharedStatisticsConfigAllow": shared_allow,
                    "SharedStatisticsConfigDeny": shared_deny, "NetworkService": ns_poly, "ExchangeLanNetworkService": ns_lan, "P2PNetworkService": ns_p2p,
                    "P2MPNetworkService": ns_mp("P2MP"), "MP2MPNetworkService": ns_mp("MP2MP"), "CloudNetworkService": ns_cloud,
                    "NetworkServiceRequest": ns_req, "NetworkServicePatch": ns_patch,
                    "NetworkServiceUpdate": dict(ns_patch, required=["type", "managing_account", "consuming_account"]),
                    "NetworkServiceChangeRequest": change_request, "NetworkServiceChangeRequestRequest": change_request_req,
                    "NetworkFeature": feature, "IXPSpecificFeatureFlag": flag, "IXPSpecificFeatureFlagConfig": flag_cfg,
                    "VlanConfig": vlan_poly, "VLanConfigDot1Q": vlan_dot1q, "VLanConfigQinQ": vlan_qinq, "VLanConfigPort": vlan_port,
                    "VlanConfigRequest": vlan_req, "NetworkServiceConfig": nsc_poly, "ExchangeLanNetworkServiceConfig": nsc_lan,
                    "VCNetworkServiceConfig": nsc_vc("Virtual circuit"), "NetworkServiceConfigRequest": nsc_req,
                    "NetworkServiceConfigPatch": nsc_patch, "NetworkServiceConfigUpdate": nsc_put,
                    "NetworkFeatureConfig": nfc, "NetworkFeatureConfigRequest": nfc_req, "NetworkFeatureConfigPatch": nfc_patch,
                    "NetworkFeatureConfigUpdate": nfc_put}
services_tags = [("network-services", "The peering LAN and private VLANs"), ("network-features", "Route servers of a network service"),
                 ("network-service-configs", "Members' access to network services"),
                 ("network-feature-configs", "Members' BGP sessions with the route servers")]

paths["/port-reservations"]["post"] = {"operationId": "port_reservations_create", "tags": ["port-reservations"],
    "summary": "Reserve one more port for a connection",
    "description": "Raises the connection's `port_quantity` by one (up to the offering's `maximum_port_quantity`; a standalone connection has one port). "
                   "The port stays null until the exchange allocates one. A connection that is not visible is a 404.",
    "requestBody": body("PortReservationRequest"),
    "responses": {**ok("Reserved.", ref("PortReservation"), "201"), **write_errs, "404": r("NotFound")}}
paths["/port-reservations/{id}"]["put"] = {"operationId": "port_reservations_update", "tags": ["port-reservations"], "deprecated": True,
    "summary": "Update a port reservation (deprecated: use PATCH)", "requestBody": body("PortReservationPatch"),
    "responses": {**ok("Updated.", ref("PortReservation"), "202"), **write_errs, "404": r("NotFound")}}
paths["/port-reservations/{id}"]["patch"] = {"operationId": "port_reservations_partial_update", "tags": ["port-reservations"],
    "summary": "Update parts of a port reservation; operators allocate its port",
    "requestBody": body("PortReservationPatch"),
    "responses": {**ok("Updated.", ref("PortReservation"), "202"), **write_errs, "404": r("NotFound")}}
paths["/port-reservations/{id}"]["delete"] = {"operationId": "port_reservations_destroy", "tags": ["port-reservations"],
    "summary": "Request decommissioning",
    "description": "Optional body `{\"decommission_at\": \"YYYY-MM-DD\"}`; an empty body, `null` and `{}` ask for the earliest date the cancellation policy (of the connection's offering) allows. "
                   "Lowers the connection's `port_quantity`; the last live reservation of a live connection is refused (decommission the connection).",
    "requestBody": {"required": False, "content": {"application/json": {"schema": ref("CancellationRequest")}}},
    "responses": {**ok("The port reservation, decommission requested.", ref("PortReservation"), "202"),
                  "400": r("CancellationPolicyError"), **read_errs, "404": r("NotFound"), "413": r("PayloadTooLarge"),
                  "415": r("UnsupportedMediaType")}}
paths["/port-reservations/{id}/cancellation-policy"] = {"parameters": [idp], "get": {
    "operationId": "port_reservations_cancellation_policy_read", "tags": ["port-reservations"], "summary": "Read the cancellation policy",
    "parameters": [q("decommission_at", "The day you would like to decommission on (YYYY-MM-DD); default today.",
                     {"type": "string", "format": "date"})],
    "responses": {**ok("The earliest decommissioning date and the end of charges.", ref("CancellationPolicy")),
                  "400": r("ValidationError"), **read_errs, "404": r("NotFound")}}}
paths["/port-reservations/{id}/loa"] = {"parameters": [idp],
    "get": {"operationId": "port_reservations_loa_read", "tags": ["port-reservations"], "summary": "Download the LOA",
            "description": "The member's uploaded LOA when there is one; otherwise the exchange renders the LOA of this reservation's demarc.",
            "responses": {"200": {"description": "A Letter Of Authorization",
                                  "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}},
                          **read_errs, "404": r("NotFound")}},
    "post": {"operationId": "port_reservations_loa_create", "tags": ["port-reservations"], "summary": "Upload an LOA",
             "requestBody": {"required": True, "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}},
             "responses": {**ok("The upload was successful.", {"type": "object", "additionalProperties": False,
                                 "required": ["port_reservation", "size", "uploaded_at"],
                                 "properties": {"port_reservation": {"type": "string"}, "size": {"type": "integer"},
                                                "uploaded_at": {"type": "string", "format": "date-time"}}}),
                           "400": r("ValidationError"), **read_errs, "404": r("NotFound"), "413": r("PayloadTooLarge"),
                           "415": r("UnsupportedMediaType")}}}
catalog("/roles", "roles", "roles", "Role", [idq, textq("name"), textq("contact")], "roles")
catalog("/contacts", "contacts", "contacts", "Contact",
        [idq, textq("managing_account"), textq("consuming_account"), textq("external_ref")], "contacts")
paths["/contacts"]["post"] = {"operationId": "contacts_create", "tags": ["contacts"], "summary": "Create a contact",
    "requestBody": body("ContactRequest"), "responses": {**ok("Created.", ref("Contact"), "201"), **write_errs}}
paths["/contacts/{id}"]["put"] = {"operationId": "contacts_update", "tags": ["contacts"], "summary": "Update a contact (deprecated: use PATCH)",
    "deprecated": True, "requestBody": body("ContactUpdate"), "responses": {**ok("Updated.", ref("Contact")), **write_errs, "404": r("NotFound")}}
paths["/contacts/{id}"]["patch"] = {"operationId": "contacts_partial_update", "tags": ["contacts"], "summary": "Update parts of a contact",
    "description": "Fields required by the roles assigned to the contact cannot be emptied.",
    "requestBody": body("ContactRequest"), "responses": {**ok("Updated.", ref("Contact")), **write_errs, "404": r("NotFound")}}
paths["/contacts/{id}"]["delete"] = {"operationId": "contacts_destroy", "tags": ["contacts"], "summary": "Delete a contact",
    "description": "Refused with 409 while the contact holds role assignments.",
    "responses": {**ok("The deleted contact as it was.", ref("Contact")), **read_errs, "404": r("NotFound"), "409": r("Conflict")}}
catalog("/role-assignments", "role_assignments", "role-assignments", "RoleAssignment", [idq, textq("contact"), textq("role")], "role assignments")
paths["/role-assignments"]["post"] = {"operationId": "role_assignments_create", "tags": ["role-assignments"], "summary": "Assign a role to a contact",
    "description": "The contact must have every field the role requires (`required_fields`).",
    "requestBody": body("RoleAssignmentRequest"), "responses": {**ok("Created.", ref("RoleAssignment"), "201"), **write_errs}}
paths["/role-assignments/{id}"]["delete"] = {"operationId": "role_assignments_destroy", "tags": ["role-assignments"], "summary": "Remove a role assignment",
    "description": "Refused with 409 while a connection relies on it.",
    "responses": {**ok("The removed assignment.", ref("RoleAssignment")), **read_errs, "404": r("NotFound"), "409": r("Conflict")}}

def timeq(name): return q(name, "Filter by " + name, {"type": "string", "format": "date-time"})
catalog("/macs", "macs", "macs", "MacAddress",
        [idq, textq("managing_account"), textq("consuming_account"), textq("external_ref"), textq("network_service_config"),
         textq("address"), timeq("valid_not_before"), timeq("valid_not_after")], "MAC addresses")
paths["/macs"]["post"] = {"operationId": "macs_create", "tags": ["macs"], "summary": "Register a MAC address",
    "description": "Multicast, broadcast and all-zero addresses are refused; `valid_not_after` may not be in the past.",
    "requestBody": body("MacAddressRequest"), "responses": {**ok("Created.", ref("MacAddress"), "201"), **write_errs}}
paths["/macs/{id}"]["delete"] = {"operationId": "macs_destroy", "tags": ["macs"], "summary": "Remove a MAC address",
    "description": "Refused (400 unable-to-fulfill) while a live network service config uses the address. When only configs on their way out "
                   "(decommission_requested) use it, it stays in force, listed and on those configs, until the last of them leaves: the answer "
                   "carries `valid_not_after` set to that date, and the address is removed when those configs are decommissioned.",
    "responses": {**ok("The removed address (or the address with the date it leaves).", ref("MacAddress")), "400": r("UnableToFulfill"), **read_errs, "404": r("NotFound")}}

catalog("/ips", "ips", "ips", "IpAddress",
        [idq] + [textq(n) for n in ["managing_account", "consuming_account", "external_ref", "network_service",
                                   "network_service_config", "network_feature", "network_feature_config"]]
        + [q("version", "Filter by version", {"type": "integer", "enum": [4, 6]}), textq("fqdn"), intq("prefix_length"),
           timeq("valid_not_before"), timeq("valid_not_after")], "IP addresses")
paths["/ips"]["post"] = {"operationId": "ips_create", "tags": ["ips"], "summary": "Create an IP address",
    "requestBody": body("IpAddressRequest"), "responses": {**ok("Created.", ref("IpAddress"), "201"), **write_errs}}
paths["/ips/{id}"]["put"] = {"operationId": "ips_update", "tags": ["ips"], "summary": "Update an IP address (deprecated: use PATCH)",
    "deprecated": True, "requestBody": body("IpAddressUpdate"), "responses": {**ok("Updated.", ref("IpAddress")), **write_errs, "404": r("NotFound")}}
paths["/ips/{id}"]["patch"] = {"operationId": "ips_partial_update", "tags": ["ips"], "summary": "Update parts of an IP address",
    "requestBody": body("IpAddressPatch"), "responses": {**ok("Updated.", ref("IpAddress")), **write_errs, "404": r("NotFound")}}

# member joining rules: polymorphic on type (allow with capacities, deny without)
mjr_common = {"id": s_(), "network_service": s_("The p2mp_vc or mp2mp_vc service the rule is about."),
              "managing_account": s_("The `id` of the account responsible for managing the rule."),
              "consuming_account": s_("The `id` of the account to which access to the network service is granted or denied."),
              "external_ref": s_("Reference field, free to use for the API user.", nullable=True, maxLength=128)}
mjr_capacity = {"capacity_min": {"type": "integer", "minimum": 1, "nullable": True,
                                 "description": "An optional minimum capacity to join the network service."},
                "capacity_max": {"type": "integer", "minimum": 1, "nullable": True,
                                 "description": "An optional rate limit with precedence over the capacity of the network service config."}}
mjr_allow = {"type": "object", "description": "A rule allowing an account to join a private VLAN", "additionalProperties": False,
             "properties": {"type": s_(enum=["allow"]), **mjr_common, **mjr_capacity}}
mjr_allow["required"] = sorted(mjr_allow["properties"])
mjr_deny = {"type": "object", "description": "A rule denying an account to join a private VLAN", "additionalProperties": False,
            "properties": {"type": s_(enum=["deny"]), **mjr_common}}
mjr_deny["required"] = sorted(mjr_deny["properties"])
def mjr_poly(desc, allow, deny):
    return {"description": desc, "oneOf": [ref(allow), ref(deny)],
            "discriminator": {"propertyName": "type", "mapping": {"allow": "#/components/schemas/" + allow,
                                                                  "deny": "#/components/schemas/" + deny}}}
def mjr_input(schema, required, desc):
    props_ = {k: v for k, v in schema["properties"].items() if k != "id"}
    return {"type": "object", "description": desc, "required": required, "properties": props_}
mjr_allow_req = mjr_input(mjr_allow, ["type", "network_service", "consuming_account"],
                          "A new allow rule (managing_account defaults to the caller's)")
mjr_deny_req = mjr_input(mjr_deny, ["type", "network_service", "consuming_account"],
                         "A new deny rule (managing_account defaults to the caller's); capacities are refused")
mjr_allow_put = mjr_input(mjr_allow, ["type", "managing_account", "consuming_account"],
                          "An allow rule update; type and network_service cannot change")
mjr_deny_put = mjr_input(mjr_deny, ["type", "managing_account", "consuming_account"],
                         "A deny rule update; type and network_service cannot change")
mjr_patch = {"type": "object", "description": "A rule update (partial): type and network_service cannot change (the same value is accepted); "
             "a deny rule takes no capacities.",
             "properties": {"type": s_(enum=["allow", "deny"]), **{k: v for k, v in mjr_allow["properties"].items() if k not in ("id", "type")}}}
catalog("/member-joining-rules", "member_joining_rules", "member-joining-rules", "MemberJoiningRule",
        [idq, textq("network_service"), textq("managing_account"), textq("consuming_account"), textq("external_ref"),
         enumq("type", ["allow", "deny"])], "member joining rules")
paths["/member-joining-rules"]["post"] = {"operationId": "member_joining_rules_create", "tags": ["member-joining-rules"],
    "summary": "Create a member joining rule",
    "description": "The service must be a p2mp_vc or mp2mp_vc the caller owns (403 when it sees but does not own it); "
                   "consuming_account names an account in the caller's subtree or a discoverable one (any other id, existing or "
                   "not, is the same 400); one rule per service and account.",
    "requestBody": body("MemberJoiningRuleRequest"), "responses": {**ok("Created.", ref("MemberJoiningRule"), "201"), **write_errs}}
paths["/member-joining-rules/{id}"]["put"] = {"operationId": "member_joining_rules_update", "tags": ["member-joining-rules"],
    "summary": "Update a member joining rule (deprecated: use PATCH)", "deprecated": True,
    "requestBody": body("MemberJoiningRuleUpdate"),
    "responses": {**ok("Updated.", ref("MemberJoiningRule")), **write_errs, "404": r("NotFound")}}
paths["/member-joining-rules/{id}"]["patch"] = {"operationId": "member_joining_rules_partial_update", "tags": ["member-joining-rules"],
    "summary": "Update parts of a member joining rule",
    "description": "The account a rule names may read it but not change it (403).",
    "requestBody": body("MemberJoiningRulePatch"),
    "responses": {**ok("Updated.", ref("MemberJoiningRule")), **write_errs, "404": r("NotFound")}}
paths["/member-joining-rules/{id}"]["delete"] = {"operationId": "member_joining_rules_destroy", "tags": ["member-joining-rules"],
    "summary": "Delete a member joining rule",
    "responses": {**ok("The deleted rule as it was.", ref("MemberJoiningRule")), **read_errs, "404": r("NotFound")}}

doc = {"openapi": "3.0.3",
       "info": {"title": "IX-API (ixapid)", "version": "2.7.1",
                "description": "The IX-API v2 operations served by ixapid. Field names, types and problem types follow IX-API 2.7.1 (2.1.0 where 2.7.1 is silent).\n\nUnknown query parameters and unknown body properties are ignored. Errors are RFC 7807 problems (`application/problem+json`).",
                "contact": {"url": "https://ix-api.net"},
                "license": {"name": "Apache-2.0", "url": "https://www.apache.org/licenses/LICENSE-2.0"}},
       "servers": [{"url": "/api/v2"}],
       "security": [{"bearerAuth": []}],
       "tags": [{"name": n, "description": d} for n, d in [("auth", "Authentication"), ("health", "Service health"),
                ("implementation", "Implementation details"), ("catalog", "The exchange's metro areas, facilities, points of presence, devices and availability zones"),
                ("roles", "Roles a contact can hold, and the contact fields each requires"), ("contacts", "Contacts of an account"),
                ("role-assignments", "Roles assigned to contacts"), ("macs", "MAC addresses of member routers"),
                ("ips", "IP addresses"), ("product-offerings", "What the exchange sells"),
                ("ports", "Ports of the exchange's devices"), ("connections", "Connections (LAGs) of members"),
                ("port-reservations", "Ports reserved for connections"), ("extensions", "Implementation specific extensions"), ("accounts", "Accounts and the reseller hierarchy")]],
       "paths": paths,
       "components": {"securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}},
                      "responses": R,
                      "schemas": {"Account": account, "AccountRequest": account_request, "AccountUpdate": account_update,
                                  "AccountPatch": account_patch, "Address": address, "AddressRequest": address_in,
                                  "BillingInformation": billing, "BillingInformationRequest": billing_in, "Status": status,
                                  "AuthToken": auth_token, "AuthTokenRequest": auth_req, "RefreshTokenRequest": refresh_req,
                                  "ProblemResponse": problem, "ValidationErrorProperty": vep, "APIHealth": health,
                                  "APIImplementation": impl, "APIExtension": ext,
                                  "MetroArea": metro_area, "MetroAreaNetwork": man, "Facility": facility,
                                  "PointOfPresence": pop, "Device": device, "DeviceCapability": capability,
                                  "AvailabilityZone": az, "Role": role, "Contact": contact,
                                  "ContactRequest": contact_req, "ContactUpdate": contact_put,
                                  "RoleAssignment": role_assignment, "RoleAssignmentRequest": role_assignment_req,
                                  "MacAddress": mac, "MacAddressRequest": mac_req,
                                  "IpAddress": ip, "IpAddressRequest": ip_req, "IpAddressUpdate": ip_put,
                                  "IpAddressPatch": ip_patch, "ProductOffering": po_poly,
                                  **{n: schema for n, schema in po_types.values()}, "Port": port,
                                  "Connection": connection, "ConnectionRequest": connection_req,
                                  "ConnectionPatch": connection_patch, "ConnectionUpdate": connection_put,
                                  "PortReservation": port_reservation, "PortReservationRequest": port_reservation_req,
                                  "PortReservationPatch": port_reservation_patch, "CancellationPolicy": cancellation_policy,
                                  "CancellationRequest": cancellation_request}}}
doc["components"]["schemas"].update(services_schemas)
doc["tags"] += [{"name": n, "description": d} for n, d in services_tags]
doc["tags"].append({"name": "member-joining-rules", "description": "Who may join a member's private VLANs"})
doc["components"]["schemas"].update({
    "MemberJoiningRule": mjr_poly("Polymorphic Member Joining Rule", "AllowMemberJoiningRule", "DenyMemberJoiningRule"),
    "AllowMemberJoiningRule": mjr_allow, "DenyMemberJoiningRule": mjr_deny,
    "MemberJoiningRuleRequest": mjr_poly("Polymorphic Member Joining Rule Request", "AllowMemberJoiningRuleRequest",
                                         "DenyMemberJoiningRuleRequest"),
    "AllowMemberJoiningRuleRequest": mjr_allow_req, "DenyMemberJoiningRuleRequest": mjr_deny_req,
    "MemberJoiningRuleUpdate": mjr_poly("Polymorphic Member Joining Rule Update", "AllowMemberJoiningRuleUpdate",
                                        "DenyMemberJoiningRuleUpdate"),
    "AllowMemberJoiningRuleUpdate": mjr_allow_put, "DenyMemberJoiningRuleUpdate": mjr_deny_put,
    "MemberJoiningRulePatch": mjr_patch})
# The jobs extension (ours): the outbox the workers carry out; operators only.
job = {"type": "object", "description": "A job of the outbox: a change the network must follow, carried out by the workers.",
       "required": ["id", "kind", "object", "state", "attempts", "waits", "run_after", "last_error", "payload", "created_at", "updated_at", "finished_at"],
       "properties": {"id": {"type": "string"}, "kind": {"type": "string", "example": "switch.port_vlan"},
                      "object": {"type": "string", "description": "The object the job is about; its jobs run in order.", "example": "network_service_config:12"},
                      "state": {"type": "string", "enum": ["pending", "running", "failed", "dead", "done"]},
                      "attempts": {"type": "integer", "minimum": 0},
                      "waits": {"type": "integer", "minimum": 0, "description": "Tries that found the job's route server unreachable (its adapter did not answer, or answered 502/503/504). They are not attempts: such a job waits for the route server (state failed, retried with backoff, due at once when its adapter answers again) and never goes dead."},
                      "run_after": {"type": "string", "format": "date-time"},
                      "last_error": {"type": "string", "nullable": True},
                      "payload": {"type": "object"},
                      "created_at": {"type": "string", "format": "date-time"},
                      "updated_at": {"type": "string", "format": "date-time"},
                      "finished_at": {"type": "string", "format": "date-time", "nullable": True}}}
doc["components"]["schemas"]["Job"] = job
doc["tags"].append({"name": "jobs", "description": "Extension: the outbox of network changes (operators only)"})
doc["paths"]["/jobs"] = {"get": {"operationId": "jobs_list", "tags": ["jobs"], "summary": "List jobs (extension, operators)",
    "description": "The newest 1,000 jobs matching the filters, newest first. Members get 403.",
    "parameters": [q("state", "Filter by state", {"type": "string", "enum": ["pending", "running", "failed", "dead", "done"]}),
                   q("kind", "Filter by kind"), q("object", "Filter by object (type:id)")],
    "responses": {**ok("Jobs.", {"type": "array", "items": ref("Job")}), "400": r("ValidationError"), **read_errs}}}
doc["paths"]["/jobs/{id}/retry"] = {"parameters": [idp], "post": {"operationId": "jobs_retry", "tags": ["jobs"],
    "summary": "Re-drive a dead or failed job (extension, operators)",
    "description": "The job becomes pending now with its attempts counted from zero; a successful run brings its object back from error.",
    "responses": {**ok("The job, pending.", ref("Job")), "400": r("UnableToFulfill"), **read_errs, "404": r("NotFound")}}}
# The quarantine-test extension (ours): a new quarantine test of a peering-LAN config in testing.
doc["components"]["schemas"]["QuarantineTest"] = {"type": "object",
    "description": "A quarantine test asked for: the workers capture the config's ports and judge the traffic; the verdict lands in the config's status (quarantine.<rule> entries, quarantine.passed).",
    "required": ["network_service_config", "job", "state"],
    "properties": {"network_service_config": {"type": "string"},
                   "job": {"type": "string", "description": "The job that runs the test (one pending test per config)."},
                   "state": {"type": "string", "enum": ["pending", "failed"], "description": "The job's state: waiting to run (failed: an attempt failed, retried)."}}}
doc["tags"].append({"name": "quarantine", "description": "Extension: quarantine tests of peering-LAN configs"})
doc["paths"]["/network-service-configs/{id}/quarantine-test"] = {"parameters": [idp], "post": {
    "operationId": "network_service_configs_quarantine_test", "tags": ["quarantine"],
    "summary": "Ask for a new quarantine test (extension)",
    "description": "For a peering-LAN (exchange_lan) config in testing, by whoever may change it (its managing or consuming account). No body. The earlier verdict no longer counts (quarantine_passed) until the new one lands; a test already waiting is the answer (the same job). After a pass with consumer_side_ready the config goes to production. 400 when the config is not an exchange_lan config in testing; 409 when its last test could not run (an operator re-drives it).",
    "responses": {**ok("The test, waiting for a worker.", ref("QuarantineTest"), "202"), "400": r("UnableToFulfill"),
                  **read_errs, "404": r("NotFound"), "409": r("Conflict")}}}
# The route-servers extension (ours): the IRR and RPKI data the route servers filter with, and re-enabling a
# session its max-prefix limit disabled; operators only.
bgpq4_prefix = {"type": "object", "required": ["prefix"], "additionalProperties": False,
                "properties": {"prefix": {"type": "string", "example": "192.0.2.0/24"}, "exact": {"type": "boolean"},
                               "greater-equal": {"type": "integer", "minimum": 0, "maximum": 128},
                               "less-equal": {"type": "integer", "minimum": 0, "maximum": 128}}}
def bgpq4(items, cmd):
    return {"description": "bgpq4's JSON output (`" + cmd + "`): the object it prints ({\"NN\": [...]}) or the list.",
            "oneOf": [{"type": "array", "items": items},
                      {"type": "object", "additionalProperties": {"type": "array", "items": items}}]}
doc["components"]["schemas"].update({
    "RouteServerAsSetExpansion": {"type": "object", "additionalProperties": False,
        "description": "An AS-SET's expansion as bgpq4 printed it elsewhere (the exchange has no internet access).",
        "properties": {"prefixes_v4": bgpq4(bgpq4_prefix, "bgpq4 -j -4 -l NN AS-SET"),
                       "prefixes_v6": bgpq4(bgpq4_prefix, "bgpq4 -j -6 -l NN AS-SET"),
                       "origins": bgpq4({"type": "integer", "minimum": 1, "maximum": 4294967295}, "bgpq4 -j -t -l NN AS-SET")}},
    "RouteServerAsSetLoaded": {"type": "object", "required": ["as_set", "prefixes_v4", "prefixes_v6", "origins", "loaded_at", "refresh_jobs"],
        "properties": {"as_set": {"type": "string", "example": "AS-EXAMPLE@RIPE"}, "prefixes_v4": {"type": "integer"},
                       "prefixes_v6": {"type": "integer"}, "origins": {"type": "integer"},
                       "loaded_at": {"type": "string", "format": "date-time"},
                       "refresh_jobs": {"type": "integer", "description": "Route servers queued for a refresh (route_server.refresh jobs)."}}},
    "RouteServerRoas": {"type": "object", "required": ["roas"],
        "description": "rpki-client's or Routinator's JSON export; other members than roas are ignored.",
        "properties": {"roas": {"type": "array", "items": {"type": "object", "required": ["prefix", "asn"],
            "properties": {"prefix": {"type": "string"}, "maxLength": {"type": "integer"},
                           "max_length": {"type": "integer"},
                           "asn": {"oneOf": [{"type": "integer", "minimum": 0, "maximum": 4294967295},
                                             {"type": "string", "pattern": "^[Aa][Ss][0-9]{1,10}$"}]},
                           "ta": {"type": "string"}}}}}},
    "RouteServerRoasLoaded": {"type": "object", "required": ["roas", "roas_v4", "roas_v6", "refresh_jobs"],
        "properties": {"roas": {"type": "integer"}, "roas_v4": {"type": "integer"}, "roas_v6": {"type": "integer"},
                       "refresh_jobs": {"type": "integer"}}},
    "SessionEnable": {"type": "object", "required": ["network_feature_config", "job", "state"],
        "properties": {"network_feature_config": {"type": "string"}, "job": {"type": "string"},
                       "state": {"type": "string", "enum": ["pending"]}}}})
doc["tags"].append({"name": "route-servers", "description": "Extension: the route servers' IRR and RPKI data, re-enabling sessions (operators only)"})
doc["paths"]["/route-server-data/as-sets/{as_set}"] = {"parameters": [{"name": "as_set", "in": "path", "required": True,
        "description": "The AS-SET as IX-API spells it (as_set_v4/_v6): AS-SET@SOURCE", "schema": {"type": "string", "example": "AS-EXAMPLE@RIPE"}}],
    "put": {"operationId": "route_server_as_sets_update", "tags": ["route-servers"],
        "summary": "Load an AS-SET's expansion (extension, operators)",
        "description": "Replaces what the route servers know of the AS-SET (stored by its upper-case spelling) and queues a refresh of every route server, in one transaction. Sessions naming it in as_set_v4/_v6 tag (and, in the irrdb modes, filter) routes by it. Bad input is a 400 naming the property and changes nothing.",
        "requestBody": body("RouteServerAsSetExpansion"),
        "responses": {**ok("Loaded.", ref("RouteServerAsSetLoaded")), **write_errs}}}
doc["paths"]["/route-server-data/roas"] = {"put": {"operationId": "route_server_roas_update", "tags": ["route-servers"],
    "summary": "Load the ROA table (extension, operators)",
    "description": "Replaces the whole ROA table the route servers validate origins with (RPKI) and queues a refresh of every route server, in one transaction. Bad input is a 400 and changes nothing.",
    "requestBody": body("RouteServerRoas"),
    "responses": {**ok("Loaded.", ref("RouteServerRoasLoaded")), **write_errs}}}
doc["paths"]["/network-feature-configs/{id}/enable-session"] = {"parameters": [idp], "post": {
    "operationId": "network_feature_configs_enable_session", "tags": ["route-servers"],
    "summary": "Re-enable a route-server session (extension, operators)",
    "description": "A session that sent more prefixes than its max-prefix limit was disabled by the route server (status entry bgp.max_prefix); the exchange re-enables it on request. Queues a route_server.enable job (after the config's earlier jobs). No body. 400 when the config has no session (decommissioned).",
    "responses": {**ok("Queued.", ref("SessionEnable"), "202"), "400": r("UnableToFulfill"), **read_errs, "404": r("NotFound")}}}
# Statistics (IX-API 2.7.1, issue 13): aggregates and timeseries of ports, connections, network service
# configs and network services, computed from the 5-minute samples and hourly/daily rollups the collector keeps.
stats_direction = ("`in` is traffic from the member into the exchange (the switch port's receive side), "
                   "`out` traffic towards the member (its transmit side).")
def rate(desc, fmt="integer", nullable=False):
    d = {"type": fmt, "description": desc}
    if fmt == "number": d["format"] = "float"
    if nullable: d["nullable"] = True
    return d
stats_aggregate = {"type": "object", "title": "AggregateStatistics",
    "description": "Aggregated statistics of one window. Rates are per second over each 5-minute sample (each hourly average for "
                   "windows older than the 5-minute samples' retention, IXAPI_STATS_RAW_DAYS, 35 days: P1Y, and custom windows "
                   "starting earlier; each daily average beyond the hourly rollups' retention, IXAPI_STATS_HOURLY_DAYS, 400 days). "
                   + stats_direction + " Averages are over the samples present; missing samples count in `accuracy` only. "
                   "A connection's statistics are the sum of its ports'; a network service config's are its connection's ports' "
                   "(a port is untagged in exactly one service: the config's share is the port's whole traffic); a network "
                   "service's are its whole LAN (the sum of its ports).",
    "required": ["title", "start", "end", "accuracy", "created_at", "next_update_at", "average_pps_in", "average_pps_out",
                 "average_ops_in", "average_ops_out"],
    "properties": {
        "title": {"type": "string", "description": "The aggregate: PT5M, PT1H, P1D, P30D, P1Y or custom."},
        "start": {"type": "string", "format": "date-time", "description": "Start of the window (aligned to the samples' period)."},
        "end": {"type": "string", "format": "date-time", "description": "End of the window (exclusive): the end of the last complete sample period; for a custom window up to now on the 5-minute samples, the end of the current one, counted so far."},
        "accuracy": {"type": "number", "format": "float", "minimum": 0, "maximum": 1,
                     "description": "Samples present / samples expected (window / 5 minutes); a 5-minute sample is present when its counters covered at least 150 s (for a connection: on every port)."},
        "created_at": {"type": "string", "format": "date-time", "description": "When these statistics were computed (at the request)."},
        "next_update_at": {"type": "string", "format": "date-time", "description": "When the next sample period of the window completes."},
        "average_pps_in": rate("Average inbound packets per second."), "average_pps_out": rate("Average outbound packets per second."),
        "average_ops_in": rate("Average inbound octets per second."), "average_ops_out": rate("Average outbound octets per second."),
        "average_eps_in": rate("Average inbound errors per second.", "number", True),
        "average_eps_out": rate("Average outbound errors per second.", "number", True),
        "average_dps_in": rate("Average inbound discards per second.", "number", True),
        "average_dps_out": rate("Average outbound discards per second.", "number", True),
        "percentile95_pps_in": rate("95th percentile (percentile_disc) of the inbound packets per second of the samples.", nullable=True),
        "percentile95_pps_out": rate("95th percentile of the outbound packets per second.", nullable=True),
        "percentile95_ops_in": rate("95th percentile of the inbound octets per second (not in the 2.7.1 schema's list; given for symmetry).", nullable=True),
        "percentile95_ops_out": rate("95th percentile of the outbound octets per second.", nullable=True),
        "maximum_pps_in": rate("Highest inbound packets per second of a 5-minute sample.", nullable=True),
        "maximum_pps_out": rate("Highest outbound packets per second of a 5-minute sample.", nullable=True),
        "maximum_ops_in": rate("Highest inbound octets per second of a 5-minute sample (from rollups of several ports: the sum of their highest, an upper bound).", nullable=True),
        "maximum_ops_out": rate("Highest outbound octets per second of a 5-minute sample.", nullable=True),
        "maximum_in_at": {"type": "string", "format": "date-time", "nullable": True, "description": "Start of the sample of the inbound octets peak."},
        "maximum_out_at": {"type": "string", "format": "date-time", "nullable": True, "description": "Start of the sample of the outbound octets peak."},
        "nsc_available_capacity": rate("Network service configs only: the config's capacity (else its ports' speed) minus the busier direction's 95th percentile, in Mbps (at least 0).", nullable=True),
        "nsc_available_capacity_change_perc": rate("Not computed (always absent).", "number", True)}}
stats_aggregates_prop = {"type": "object", "additionalProperties": ref("AggregateStatistics"),
    "description": "Per aggregate (PT5M, PT1H, P1D, P30D, P1Y), or only `custom` when the window is given by `start` and `end`."}
doc["components"]["schemas"].update({
    "AggregateStatistics": stats_aggregate,
    "Statistics": {"type": "object", "title": "Mapping of Aggregated Statistics", "required": ["aggregates"],
                   "properties": {"aggregates": stats_aggregates_prop}},
    "PortStatistics": {"type": "object", "title": "Port Statistics", "required": ["aggregates"],
                       "properties": {"aggregates": stats_aggregates_prop,
                                      "light_levels_tx": {"type": "array", "items": {"type": "number"}, "description": "Light levels (dBm) per channel: empty, the switch adapters report no optics."},
                                      "light_levels_rx": {"type": "array", "items": {"type": "number"}, "description": "Light levels (dBm) per channel: empty, the switch adapters report no optics."}}},
    "AggregateTimeseries": {"type": "object", "title": "Aggregated Statistics Timeseries",
        "required": ["title", "precision", "created_at", "next_update_at", "origin_timezone", "fields", "samples"],
        "properties": {"title": {"type": "string"},
                       "precision": {"type": "integer", "description": "Seconds of one sample of the series (a multiple of 300)."},
                       "created_at": {"type": "string", "format": "date-time"},
                       "next_update_at": {"type": "string", "format": "date-time"},
                       "origin_timezone": {"type": "string", "enum": ["UTC"]},
                       "fields": {"type": "array", "items": {"type": "string"}},
                       "samples": {"type": "array", "description": "[timestamp (start of the bucket), the fields' values in order]; buckets without samples are left out.",
                                   "items": {"type": "array", "items": {"anyOf": [{"type": "string", "format": "date-time"}, {"type": "number", "nullable": True}]}}}}}})
doc["tags"].append({"name": "statistics", "description": "Traffic statistics of ports, connections, network service configs and network services"})
stats_window_params = [q("start", "Beginning of the traffic aggregation (RFC 3339). Given: the answer holds only the `custom` aggregate.", {"type": "string", "format": "date-time"}),
                       q("end", "End of the traffic aggregation. Default is now.", {"type": "string", "format": "date-time"})]
stats_ts_params = [q("start", "Start of the timeseries (replaces the aggregate's window; needed with `custom`).", {"type": "string", "format": "date-time"}),
                   q("end", "End of the timeseries. Default: now.", {"type": "string", "format": "date-time"}),
                   q("fields", "Comma-separated fields: average_{pps,ops,eps,dps}_{in,out}, percentile95_{pps,ops}_{in,out}, maximum_{pps,ops}_{in,out}, accuracy. Default: average_pps_in,average_pps_out,average_ops_in,average_ops_out"),
                   q("precision", "Seconds per sample: a multiple of 300 (of 3600 for windows older than the 5-minute samples' retention, 86400 beyond the hourly rollups'), at most 10,000 samples. Default: 300 for PT5M, PT1H and P1D, 3600 for P30D, 86400 for P1Y, about 1,000 samples for custom.",
                     {"type": "integer", "minimum": 300, "multipleOf": 300})]
aggp = {"name": "aggregate", "in": "path", "required": True, "description": "PT5M, PT1H, P1D, P30D, P1Y or custom (with start).",
        "schema": {"type": "string", "enum": ["PT5M", "PT1H", "P1D", "P30D", "P1Y", "custom"]}}
for base, op, what, schema, who in [
        ("/ports", "ports", "port", "PortStatistics", "its managing or consuming account (never another member)"),
        ("/connections", "connections", "connection", "Statistics", "its managing or consuming account; the sum of its ports"),
        ("/network-service-configs", "network_service_configs", "network service config", "Statistics",
         "its managing or consuming account, and other accounts as its shared_statistics policy says; its connection's ports"),
        ("/network-services", "network_services", "network service", "Statistics", "whoever may read the network service; its whole LAN")]:
    tag_desc = "Read by " + who + ". Unknown or hidden objects are 404s; bad input (start not before end, a malformed date-time) a 400 naming the parameter."
    doc["paths"][base + "/{id}/statistics"] = {"parameters": [idp], "get": {"operationId": op + "_statistics_read",
        "tags": ["statistics"], "summary": "Read Statistics of a " + what, "description": tag_desc, "parameters": stats_window_params,
        "responses": {**ok("The aggregates.", ref(schema)), "400": r("ValidationError"), **read_errs, "404": r("NotFound")}}}
    doc["paths"][base + "/{id}/statistics/{aggregate}/timeseries"] = {"parameters": [idp, aggp], "get": {
        "operationId": op + "_statistics_timeseries_read", "tags": ["statistics"], "summary": "Read Statistics Timeseries of a " + what,
        "description": tag_desc + " An unknown aggregate or field, a precision that is not a multiple of 300 (or of the retained rollups' period) or gives more than 10,000 samples is a 400 naming it.",
        "parameters": stats_ts_params,
        "responses": {**ok("The timeseries.", ref("AggregateTimeseries")), "400": r("ValidationError"), **read_errs, "404": r("NotFound")}}}
# Peer statistics and RTT (IX-API 2.7.1, issue 13: statistics/peer_stats.c). The peering bridge counts unicast frames
# per (input port, source MAC, destination MAC) (the switch adapter's GET /v1/peer-counters); RTT comes from the
# exchange's probe in the route servers' namespace (the route-server adapter's POST .../probe).
def n_(t, d, **kw):
    return {"type": t, "nullable": True, "description": d, **kw}
peer_agg_stats = {"type": "object", "description": "AggregateStatistics of a config's traffic with one peer, from 5-minute samples. "
    "`in` = from the member to the peer (frames entering at the member's port addressed to the peer's MAC), `out` = from the peer "
    "to the member. Octets are counted without the Ethernet header. Averages are over the seconds the polls covered; maxima and "
    "95th percentiles are of the 5-minute rates of slots covered for at least 150 s. Errors and discards are not counted per "
    "peer (null).",
    "required": ["title", "start", "end", "accuracy", "created_at", "next_update_at", "average_pps_in", "average_pps_out",
                 "average_ops_in", "average_ops_out"],
    "properties": {"title": s_("Title of the aggregated statistics."),
                   "start": s_("Start of the traffic aggregation.", format="date-time"),
                   "end": s_("End of the traffic aggregation (exclusive).", format="date-time"),
                   "accuracy": {"type": "number", "minimum": 0, "maximum": 1,
                                "description": "5-minute slots covered for at least 150 s / the slots of the window (the current slot, still filling, counts as expected)."},
                   "created_at": s_("When the statistics were computed.", format="date-time"),
                   "next_update_at": s_("When the next 5-minute slot begins.", format="date-time"),
                   **{f"average_{k}_{d}": {"type": "integer", "minimum": 0, "description": f"Average {w} per second, {d}bound."}
                      for k, w in (("pps", "packets"), ("ops", "octets")) for d in ("in", "out")},
                   **{f"average_{k}_{d}": n_("number", "Not counted per peer: null.") for k in ("eps", "dps") for d in ("in", "out")},
                   **{f"{m}_{k}_{d}": n_("integer", f"{m.replace('95', ' 95th')} {w} per second, {d}bound (null without a covered slot).", minimum=0)
                      for m in ("percentile95", "maximum") for k, w in (("pps", "packets"), ("ops", "octets")) for d in ("in", "out")},
                   "maximum_in_at": n_("string", "Start of the slot of the inbound octets peak.", format="date-time"),
                   "maximum_out_at": n_("string", "Start of the slot of the outbound octets peak.", format="date-time")}}
peer = {"type": "object", "description": "MAC-, IP-Address and ASN of the peer. A MAC no live config of the LAN holds (e.g. a route server's) has asn and ip null.",
        "required": ["asn", "ip", "mac_address"],
        "properties": {"asn": n_("integer", "The first ASN of the peer's config.", format="int64", minimum=0, maximum=4294967295),
                       "ip": {"type": "object", "nullable": True, "required": ["version", "address"],
                              "description": "The peer's address on the LAN (IPv4, else IPv6).",
                              "properties": {"version": {"type": "integer", "enum": [4, 6]}, "address": s_()}},
                       "mac_address": s_("Unicast MAC address, hex with colons.")}}
peer_aggregate = {"type": "object", "description": "PeerStatistics: a config's traffic with one peer.", "required": ["peer", "aggregates"],
    "properties": {"peer": ref("Peer"),
                   "aggregates": {"type": "object", "additionalProperties": ref("PeerAggregateStatistics"),
                                  "description": "By aggregate: PT5M, P1D and P30D (windows of 5-minute slots ending with the current one), or `custom` for a start/end window. The 5-minute samples are kept 35 days."}}}
peer_rtt = {"type": "object", "description": "Peer RTT Statistics: one probe of one member LAN address from the route server's namespace.",
    "required": ["time_ms", "tx", "rx", "loss", "rtt_min_ms", "rtt_avg_ms", "rtt_max_ms", "rtt_mdev_ms", "neighbor", "asn", "ip", "timestamp", "serial"],
    "properties": {"time_ms": {"type": "integer", "description": "Total duration of the measurement in milliseconds."},
                   "tx": {"type": "integer", "description": "Echo requests transmitted."},
                   "rx": {"type": "integer", "description": "Echo replies received."},
                   "loss": {"type": "number", "minimum": 0, "maximum": 1, "description": "1.0 - (rx / tx)"},
                   "rtt_min_ms": n_("number", "null when nothing answered"), "rtt_avg_ms": n_("number", "null when nothing answered"),
                   "rtt_max_ms": n_("number", "null when nothing answered"),
                   "rtt_mdev_ms": n_("number", "Standard deviation in milliseconds; null when nothing answered"),
                   "neighbor": s_("Name of the peer (the consuming account of the config holding the address)."),
                   "asn": n_("integer", "The first ASN of that config.", format="int64"),
                   "ip": s_("The address probed."),
                   "timestamp": s_("When measured.", format="date-time"),
                   "serial": {"type": "integer", "format": "int64", "description": "An incrementing counter. You can use it to poll for changes."}}}
doc["components"]["schemas"].update({"PeerAggregateStatistics": peer_agg_stats, "Peer": peer, "PeerAggregate": peer_aggregate,
                                     "PeerRTT": peer_rtt})
win_q = [q("start", "Start of a custom window (at most 35 days)", {"type": "string", "format": "date-time"}),
         q("end", "End of a custom window (default: now)", {"type": "string", "format": "date-time"})]
agg_p = {"name": "aggregate", "in": "path", "required": True, "description": "PT5M, P1D, P30D or custom (with start)",
         "schema": {"type": "string", "enum": ["PT5M", "P1D", "P30D", "custom"]}}
doc["paths"]["/network-service-configs/{id}/peer-statistics"] = {"parameters": [idp], "get": {
    "operationId": "network_service_configs_peer_statistics_read", "tags": ["statistics"],
    "summary": "Traffic with each peer",
    "description": "One PeerAggregate per peer MAC the config exchanged unicast traffic with on the peering LAN (the switch counts frames per (port, source MAC, destination MAC); polled every IXAPI_PEER_POLL_S). Readable by the config's managing and consuming accounts.",
    "parameters": win_q,
    "responses": {**ok("The peers.", {"type": "array", "items": ref("PeerAggregate")}), "400": r("ValidationError"), **read_errs,
                  "404": r("NotFound")}}}
doc["paths"]["/network-service-configs/{id}/peer-statistics/{aggregate}/timeseries"] = {"parameters": [idp, agg_p], "get": {
    "operationId": "network_service_configs_peer_statistics_timeseries_read", "tags": ["statistics"],
    "summary": "Timeseries of the traffic with one peer",
    "parameters": [q("peer", "The peer's MAC address (required).", {"type": "string"}), *win_q,
                   q("fields", "Comma list of average_pps_in, average_pps_out, average_ops_in, average_ops_out (default: all four).")],
    "responses": {**ok("The samples.", ref("AggregateTimeseries")), "400": r("ValidationError"), **read_errs,
                  "404": r("NotFound")}}}
doc["paths"]["/network-services/{id}/rtt-statistics"] = {"parameters": [idp], "get": {
    "operationId": "network_services_rtt_statistics_read", "tags": ["statistics"],
    "summary": "RTT to the members' LAN addresses",
    "description": "The exchange's probe pings every LAN address (IPv4 and IPv6) of the live peering configs from the route servers' namespaces every IXAPI_RTT_INTERVAL_S (5 echo requests each). Without `after`: the latest 1,000 results; with it, the next 1,000 after that serial; in serial order. Kept 7 days. Readable by whoever may read the LAN.",
    "parameters": [q("asn", "Filter by ASN", {"type": "integer", "format": "int64", "minimum": 0, "maximum": 4294967295}),
                   q("ip", "Filter by address"),
                   q("after", "Show only results with a `serial` greater than `after`.", {"type": "integer", "format": "int64", "minimum": 0})],
    "responses": {**ok("The results.", {"type": "array", "items": ref("PeerRTT")}), "400": r("ValidationError"), **read_errs,
                  "404": r("NotFound")}}}
# Extensions described in files of their own (openapi/ext_<name>.py), run in
# name order with this file's names in scope (doc, ref, q, ok, r, idp, ...).
import glob
for ext in sorted(glob.glob(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'ext_*.py'))):
    with open(ext) as f:
        exec(compile(f.read(), ext, 'exec'))
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'ixapi.json')
with open(out, 'w') as f:
    json.dump(doc, f, indent=2)
    f.write('\n')
