/*
 * Per-peer counters with libnftables (see sw_peers.h). The rule text is
 * fixed: no caller syntax reaches nft.
 */
#include "adapters/switch/sw_peers.h"

#include "adapters/switch/sw_link.h"
#include "adapters/switch/sw_ports.h"
#include "core/util.h"

#include <nftables/libnftables.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define TABLE   "bridge ixapi_peers"
#define STR(x)  #x
#define XSTR(x) STR(x)

static struct nft_ctx *nft;

static int nft_run(const char *cmds, char **err)
{
	if (nft_run_cmd_from_buffer(nft, cmds) == 0)
		return 0;
	const char *e = nft_ctx_get_error_buffer(nft);
	*err = xasprintf("nft: %s", e && *e ? e : "failed");
	size_t n = strlen(*err);
	while (n > 0 && (*err)[n - 1] == '\n')
		(*err)[--n] = '\0';
	return -1;
}

int sw_peers_init(char **err)
{
	nft = nft_ctx_new(NFT_CTX_DEFAULT);
	if (!nft) {
		*err = xstrdup("nft: no context");
		return -1;
	}
	nft_ctx_buffer_output(nft);
	nft_ctx_buffer_error(nft);
	/* `add` keeps an existing set and its counters; the chain is written
	 * anew. One command a line (nft 1.0.6 misreads a one-line table). */
	return nft_run(
		"add table " TABLE "\n"
		"add set " TABLE " pairs { type ifname . ether_addr . ether_addr; size " XSTR(
			SW_PEERS_SIZE) "; flags dynamic; counter; }\n"
				       "add chain " TABLE
				       " prerouting { type filter hook prerouting priority 0; policy accept; }\n"
				       "flush chain " TABLE " prerouting\n"
				       "add rule " TABLE
				       " prerouting ether daddr & 01:00:00:00:00:00 == 00:00:00:00:00:00 add @pairs { "
				       "iifname . ether saddr . ether daddr }\n",
		err);
}

/* The service whose bridge the link is in now: a new string or null. */
static json_t *port_service(const char *port, json_t *j_cache)
{
	json_t *j_known = json_object_get(j_cache, port);
	if (j_known)
		return json_incref(j_known);
	json_t *j_service = json_null();
	struct sw_link l, m;
	if (sw_link_get(port, &l) == 0 && l.master && sw_link_get_by_index(l.master, &m) == 0 &&
	    strncmp(m.alias, SW_SERVICE_ALIAS_PREFIX, strlen(SW_SERVICE_ALIAS_PREFIX)) == 0)
		j_service = json_string(m.alias + strlen(SW_SERVICE_ALIAS_PREFIX));
	json_object_set(j_cache, port, j_service);
	return j_service;
}

struct problem *sw_peers_counters(json_t **j_out)
{
	char *err = NULL;
	struct problem *p = NULL;
	json_t *j_list = NULL, *j_cache = json_object(), *j_pairs = json_array();
	nft_ctx_output_set_flags(nft, NFT_CTX_OUTPUT_JSON);
	if (nft_run("list set " TABLE " pairs", &err) != 0) {
		p = problem_new(PROBLEM_INTERNAL, "peer counters: %s", err);
		goto out;
	}
	json_error_t jerr;
	if (!(j_list = json_loads(nft_ctx_get_output_buffer(nft), 0, &jerr))) {
		p = problem_new(PROBLEM_INTERNAL, "peer counters: nft printed JSON that does not parse: %s", jerr.text);
		goto out;
	}
	size_t i, k;
	json_t *j_item, *j_elem;
	json_array_foreach (json_object_get(j_list, "nftables"), i, j_item) {
		json_array_foreach (json_object_get(json_object_get(j_item, "set"), "elem"), k, j_elem) {
			json_t *j_e = json_object_get(j_elem, "elem");
			json_t *j_key = json_object_get(json_object_get(j_e, "val"), "concat");
			json_t *j_counter = json_object_get(j_e, "counter");
			const char *port = json_string_value(json_array_get(j_key, 0));
			const char *src = json_string_value(json_array_get(j_key, 1));
			const char *dst = json_string_value(json_array_get(j_key, 2));
			json_t *j_packets = json_object_get(j_counter, "packets");
			json_t *j_bytes = json_object_get(j_counter, "bytes");
			if (!port || !src || !dst || !json_is_integer(j_packets) || !json_is_integer(j_bytes))
				continue;
			json_array_append_new(j_pairs,
					      json_pack("{s:o, s:s, s:s, s:s, s:O, s:O}", "service",
							port_service(port, j_cache), "port", port, "src_mac", src,
							"dst_mac", dst, "packets", j_packets, "octets", j_bytes));
		}
	}
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	char at[32], stamp[40];
	util_rfc3339(ts.tv_sec, at, sizeof(at));
	snprintf(stamp, sizeof(stamp), "%.19s.%03ldZ", at, ts.tv_nsec / 1000000);
	*j_out = json_pack("{s:s, s:i, s:b, s:O}", "at", stamp, "size", SW_PEERS_SIZE, "full",
			   json_array_size(j_pairs) >= SW_PEERS_SIZE, "pairs", j_pairs);
out:
	nft_ctx_output_set_flags(nft, 0);
	json_decref(j_list);
	json_decref(j_cache);
	json_decref(j_pairs);
	free(err);
	return p;
}

void sw_peers_close(void)
{
	if (nft)
		nft_ctx_free(nft);
	nft = NULL;
}
