/*
 * libFuzzer target: request bodies through the parser, the nesting ceiling
 * and every resource's body validator (everything a client's body reaches
 * before storage), and the raw bytes through the MAC and date-time
 * parsers. `make fuzz` runs it; `make test` runs it for a bounded time.
 */
#include "accounts/accounts.h"
#include "connections/connections.h"
#include "connections/port_reservations.h"
#include "contacts/contacts.h"
#include "core/json_body.h"
#include "core/mac.h"
#include "core/util.h"
#include "macs/macs.h"
#include "services/feature_configs.h"
#include "services/network_services.h"
#include "services/service_configs.h"

#include <stdlib.h>
#include <string.h>

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct problem *(*validator)(json_t *j_body, json_t **j_out);

static struct problem *validate_account(json_t *j_body, json_t **j_out)
{
	static const char *const required[] = {"name", "address", NULL};
	return accounts_validate(j_body, required, j_out);
}

static struct problem *validate_contact(json_t *j_body, json_t **j_out)
{
	return contacts_validate(j_body, NULL, j_out);
}

static struct problem *validate_mac(json_t *j_body, json_t **j_out)
{
	return macs_validate(j_body, NULL, j_out);
}

static struct problem *validate_connection(json_t *j_body, json_t **j_out)
{
	return connections_validate(j_body, NULL, j_out);
}

static struct problem *validate_port_reservation(json_t *j_body, json_t **j_out)
{
	return port_reservations_validate(j_body, NULL, j_out);
}

static struct problem *validate_network_service(json_t *j_body, json_t **j_out)
{
	return network_services_validate(j_body, NULL, j_out);
}

static struct problem *validate_service_config(json_t *j_body, json_t **j_out)
{
	return service_configs_validate(j_body, NULL, j_out);
}

static struct problem *validate_feature_config(json_t *j_body, json_t **j_out)
{
	return feature_configs_validate(j_body, NULL, j_out);
}

static void raw_parsers(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';
	char mac[18];
	if (mac_normalise(text, mac) == MAC_OK) {
		int low_nibble = mac[1] <= '9' ? mac[1] - '0' : mac[1] - 'a' + 10;
		if (strlen(mac) != 17 || (low_nibble & 1))
			abort(); /* canonical and unicast, or refused */
	}
	(void)util_is_rfc3339(text);
	free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	raw_parsers(data, size);
	json_t *j = NULL;
	struct problem *p = json_body_parse((const char *)data, size, JSON_BODY_MAX_DEPTH, true, &j);
	if (p) {
		json_decref(problem_to_json(p, "/fuzz"));
		problem_free(p);
		return 0;
	}
	static const validator validators[] = {
		validate_account,	  validate_contact,	    validate_mac,	     validate_connection,
		validate_port_reservation, validate_network_service, validate_service_config, validate_feature_config};
	for (size_t i = 0; i < sizeof(validators) / sizeof(validators[0]); i++) {
		json_t *j_out = NULL;
		p = validators[i](j, &j_out);
		if (p) {
			json_decref(problem_to_json(p, NULL));
			problem_free(p);
		} else if (!json_is_object(j_out))
			abort();
		json_decref(j_out);
	}
	json_decref(j);
	return 0;
}
