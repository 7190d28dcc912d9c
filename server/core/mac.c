/*
 * MAC address parsing (see mac.h).
 */
#include "core/mac.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

enum mac_verdict mac_normalise(const char *in, char out[18])
{
	unsigned char octets[6];
	size_t len = strlen(in), digits = 0;
	char sep = 0;
	/* The separator, if any, must be one character used consistently at
	 * the positions of its notation. */
	if (len == 17 && (in[2] == ':' || in[2] == '-'))
		sep = in[2];
	else if (len == 14 && in[4] == '.')
		sep = '.';
	else if (len != 12)
		return MAC_MALFORMED;
	unsigned char nibbles[12];
	for (size_t i = 0; i < len; i++) {
		bool at_sep = sep == '.' ? (i == 4 || i == 9) : (sep && i % 3 == 2);
		if (at_sep) {
			if (in[i] != sep)
				return MAC_MALFORMED;
			continue;
		}
		int v = hex_value(in[i]);
		if (v < 0 || digits == 12)
			return MAC_MALFORMED;
		nibbles[digits++] = (unsigned char)v;
	}
	if (digits != 12)
		return MAC_MALFORMED;
	bool zero = true;
	for (size_t i = 0; i < 6; i++) {
		octets[i] = (unsigned char)(nibbles[2 * i] << 4 | nibbles[2 * i + 1]);
		zero = zero && octets[i] == 0;
	}
	if (zero)
		return MAC_ZERO;
	if (octets[0] & 1)
		return MAC_MULTICAST;
	snprintf(out, 18, "%02x:%02x:%02x:%02x:%02x:%02x", octets[0], octets[1], octets[2], octets[3], octets[4],
		 octets[5]);
	return MAC_OK;
}

const char *mac_verdict_reason(enum mac_verdict v)
{
	switch (v) {
	case MAC_OK:
		return "valid";
	case MAC_MALFORMED:
		return "Expected a MAC address such as 00:1b:21:3c:4d:5e.";
	case MAC_MULTICAST:
		return "Multicast and broadcast addresses cannot be used; give the router's unicast address.";
	case MAC_ZERO:
		return "The all-zero address cannot be used.";
	}
	return "invalid";
}
