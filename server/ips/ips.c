/*
 * IP handlers (see ips.h).
 */
#include "ips/ips.h"

#include "core/fields.h"
#include "core/json_body.h"
#include "ips/ips_db.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* A host name: labels of letters, digits and inner hyphens, 1 to 63 long. */
static bool is_hostname(const char *s)
{
	size_t label = 0;
	for (const char *p = s;; p++) {
		if (*p == '.' || *p == '\0') {
			if (label == 0 || label > 63 || p[-1] == '-')
				return false;
			if (*p == '\0')
				return true;
			label = 0;
			continue;
		}
		if (!(isalnum((unsigned char)*p) || (*p == '-' && label > 0)))
			return false;
		label++;
	}
}

/* version, address and prefix_length are checked together, below. */
static const struct field_spec ip_fields[] = {
	FIELDS_OWNER,
	FIELD_EXTERNAL_REF,
	FIELD_CUSTOM("version", FIELD_REQUIRED | FIELD_CREATE | FIELD_PUT, 0),
	FIELD_CUSTOM("address", FIELD_REQUIRED | FIELD_CREATE | FIELD_PUT, 64),
	FIELD_CUSTOM("prefix_length", FIELD_REQUIRED | FIELD_CREATE | FIELD_PUT, 0),
	FIELD_STRING("fqdn", FIELD_NULLABLE, 100),
	FIELD_STRING("valid_not_before", FIELD_NULLABLE, 40),
	FIELD_STRING("valid_not_after", FIELD_NULLABLE, 40),
	FIELD_END,
};

struct problem *ips_validate(json_t *j_body, const char *const *required, json_t **j_out)
{
	*j_out = NULL;
	struct validation v = {0};
	json_t *j_in = validation_begin(&v, j_body, required);
	json_t *j = json_object();
	validation_copy_fields(&v, j_in, j, ip_fields);
	/* Presence is the `required` list's business (PATCH sends any subset);
	 * what is present must be valid and may not be null. */
	long long version = 0, prefix = 0;
	bool has_version = validation_has(j_in, "version") &&
			   validation_int(&v, j_in, "version", "version", FIELD_REQUIRED, 4, 6, &version);
	if (has_version && version == 5) {
		validation_fail(&v, "version", "Must be 4 or 6.");
		has_version = false;
	}
	if (has_version)
		json_object_set_new(j, "version", json_integer(version));
	const char *address = validation_has(j_in, "address")
				      ? validation_string(&v, j_in, "address", "address", FIELD_REQUIRED, 64)
				      : NULL;
	int family = 0;
	if (address) {
		unsigned char buf[16];
		char canonical[INET6_ADDRSTRLEN];
		if (inet_pton(AF_INET, address, buf) == 1)
			family = 4;
		else if (inet_pton(AF_INET6, address, buf) == 1)
			family = 6;
		if (!family)
			validation_fail(&v, "address", "Expected an IPv4 or IPv6 address without a prefix length.");
		else if (has_version && family != version)
			validation_fail(&v, "address", "Not an IPv%lld address.", version);
		else {
			inet_ntop(family == 4 ? AF_INET : AF_INET6, buf, canonical, sizeof(canonical));
			json_object_set_new(j, "address", json_string(canonical));
		}
	}
	int family_known = has_version ? (int)version : family;
	if (validation_has(j_in, "prefix_length") &&
	    validation_int(&v, j_in, "prefix_length", "prefix_length", FIELD_REQUIRED, 0, family_known == 4 ? 32 : 128,
			   &prefix))
		json_object_set_new(j, "prefix_length", json_integer(prefix));
	const char *fqdn = json_string_value(json_object_get(j, "fqdn"));
	if (fqdn && !is_hostname(fqdn))
		validation_fail(&v, "fqdn", "Expected a host name such as router1.example.net.");
	validation_validity_window(&v, j);
	return validation_end(&v, j_in, j, j_out);
}

const struct resource ips_resource = {
	.title = "IP address",
	.object_type = "ip",
	.fields = ip_fields,
	.validate = ips_validate,
	.listing = &ips_listing,
	.owner = RESOURCE_OWNED,
	.create = &ip_create,
	.update = &ip_update,
	.update_status = 200,
};
