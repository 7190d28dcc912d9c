/*
 * Field specs shared by the resources' field tables (core/json_body.h):
 * the owner and billing fields every IX-API order carries, with the limits
 * the database's CHECKs give the same columns (migrations/). A reference
 * to another object is its id as text, at most ID_MAX_LEN long everywhere.
 */
#ifndef IXAPI_CORE_FIELDS_H
#define IXAPI_CORE_FIELDS_H

#include "core/json_body.h"

#define ID_MAX_LEN 80

/* A reference to another object (its id). */
#define FIELD_REF(name, flags) FIELD_STRING((name), (flags), ID_MAX_LEN)

/* managing_account, consuming_account: who owns and who uses an object
 * (a create defaults them to the caller's account; a PUT names them). */
#define FIELDS_OWNER                                                                                                   \
	FIELD_REF("managing_account", FIELD_REQUIRED | FIELD_PUT),                                                     \
		FIELD_REF("consuming_account", FIELD_REQUIRED | FIELD_PUT)
/* external_ref: the client's own reference. */
#define FIELD_EXTERNAL_REF FIELD_STRING("external_ref", FIELD_NULLABLE, 128)
/* What an order is billed by: billing_account (with the extra `flags`),
 * external_ref, purchase_order, contract_ref. */
#define FIELDS_BILLING_FLAGS(flags)                                                                                    \
	FIELD_REF("billing_account", FIELD_REQUIRED | (flags)), FIELD_EXTERNAL_REF,                                    \
		FIELD_STRING("purchase_order", FIELD_OPTIONAL, 80), FIELD_STRING("contract_ref", FIELD_NULLABLE, 128)
#define FIELDS_BILLING FIELDS_BILLING_FLAGS(0)

#endif
