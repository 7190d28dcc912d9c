/*
 * One resource, one descriptor: what a resource of the API is (its title
 * and object type, its field table and the rules between fields, its
 * listing) and how each of its writes runs (the create and update specs of
 * db/write.h, the decommission spec or the delete spec). The generic
 * handlers below serve POST, PUT, PATCH and DELETE from the route's `data`
 * (a `struct resource`); GET is resource/listing.h. A resource's own C is
 * what is truly its own: the rules between fields, the hooks of its specs,
 * LOAs, change requests.
 */
#ifndef IXAPI_RESOURCE_RESOURCE_H
#define IXAPI_RESOURCE_RESOURCE_H

#include "core/json_body.h"
#include "db/write.h"
#include "http/request.h"
#include "resource/decommission.h"
#include "resource/listing.h"
#include "resource/write_handlers.h"

/* Who a new object belongs to when the body does not say. */
enum resource_owner {
	RESOURCE_UNOWNED, /* no owner columns of its own (a port reservation, a role assignment) */
	RESOURCE_OWNED,   /* managing_account, consuming_account: the caller's */
	RESOURCE_ORDER,   /* also billing_account: the caller's */
	RESOURCE_MANAGED, /* managing_account only, a member's (an account: an operator's new one stands alone) */
};

struct resource {
	const char *title;       /* for problems: "Connection" */
	const char *object_type; /* for events: "connection" */
	/* The fields (core/json_body.h): kinds, limits (the column's CHECK),
	 * and the flags that say what a POST and a PUT require, what is
	 * immutable, what only operators set, what a POST does not take. */
	const struct field_spec *fields;
	/* The validator: the field table plus the rules between fields
	 * (`required` is what the operation requires, from the flags). Pure. */
	body_validator validate;
	const struct listing *listing; /* reads (the same table) */
	enum resource_owner owner;
	bool operator_sets_state;       /* a POST keeps an operator's `state` (else an order starts requested) */
	create_defaults defaults;       /* fills in what a new object takes by default, or NULL */
	const struct db_create *create; /* POST, 201 */
	const struct db_update *update; /* PUT and PATCH */
	int update_status;              /* 200 or 202 (IX-API: what the network follows answers 202) */
	/* DELETE: decommissioning (202), or a delete (200) as db_delete_run
	 * runs it. */
	const struct decommission_spec *decommission;
	const struct db_delete *delete;
};

/* POST /<resources>: 201 with the object. */
struct problem *resource_create(struct request *req, struct response *res);
/* PUT /<resources>/{id}: what the table marks FIELD_PUT must be present. */
struct problem *resource_replace(struct request *req, struct response *res);
/* PATCH /<resources>/{id}: any subset. */
struct problem *resource_patch(struct request *req, struct response *res);
/* DELETE /<resources>/{id}: decommissioning (202) or deletion (200). */
struct problem *resource_destroy(struct request *req, struct response *res);

/* The validator of r with what `flag` (FIELD_CREATE, FIELD_PUT, or 0 for
 * none) makes required; *j_out as body_validator. */
struct problem *resource_validate(const struct resource *r, json_t *j_body, int flag, json_t **j_out);

#endif
