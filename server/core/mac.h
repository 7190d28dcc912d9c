/*
 * MAC addresses as IX-API takes them: any common spelling, unicast only;
 * one canonical spelling (lower case, colon separated) to compare them by
 * (migrations/016: macs.canonical_address is the same in SQL).
 */
#ifndef IXAPI_CORE_MAC_H
#define IXAPI_CORE_MAC_H

#include <stddef.h>

enum mac_verdict { MAC_OK, MAC_MALFORMED, MAC_MULTICAST, MAC_ZERO };

/* Parses "aa:bb:cc:dd:ee:ff", "aa-bb-cc-dd-ee-ff", "aabb.ccdd.eeff" or
 * "aabbccddeeff" in any case; writes the canonical form into out (18 bytes)
 * when MAC_OK. Multicast (which includes broadcast) and all-zero addresses
 * are refused: they cannot be a member router's interface. */
enum mac_verdict mac_normalise(const char *in, char out[18]);
/* A reason for a verdict, for validation problems. */
const char *mac_verdict_reason(enum mac_verdict v);

#endif
