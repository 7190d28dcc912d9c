/*
 * The MAC lock's nftables table (see sw_maclock.h), driven through
 * libnftables: commands go in as nft's own text, read-backs come out as nft's
 * JSON. Port names and MACs are checked before they get here (port names at
 * start-up, MACs by the PUT's parser), so the command text holds no caller
 * syntax.
 */
#include "adapters/switch/sw_maclock.h"

#include "core/log.h"
#include "core/util.h"

#include <nftables/libnftables.h>
#include <string.h>

#define TABLE "bridge ixapi_switch"

static struct nft_ctx *nft;

/* Runs nft commands; 0, or -1 with nft's error text in *err. */
static int nft_run(const char *cmds, char **err)
{
	if (nft_run_cmd_from_buffer(nft, cmds) == 0)
		return 0;
	const char *e = nft_ctx_get_error_buffer(nft);
	*err = xasprintf("nft: %s", e && *e ? e : "failed");
	size_t n = strlen(*err);
	while (n > 0 && ((*err)[n - 1] == '\n'))
		(*err)[--n] = '\0';
	return -1;
}

/* Runs a list command with JSON output; a new reference or NULL with *err. */
static json_t *nft_list_json(const char *cmd, char **err)
{
	nft_ctx_output_set_flags(nft, NFT_CTX_OUTPUT_JSON);
	json_t *j = NULL;
	if (nft_run(cmd, err) == 0) {
		json_error_t jerr;
		j = json_loads(nft_ctx_get_output_buffer(nft), 0, &jerr);
		if (!j)
			*err = xasprintf("nft printed JSON that does not parse: %s", jerr.text);
	}
	nft_ctx_output_set_flags(nft, 0);
	return j;
}

/* Calls fn for each element of a set's JSON listing. */
static void set_elements(json_t *j_list, void (*fn)(json_t *elem, void *data), void *data)
{
	size_t i;
	json_t *j_item;
	json_array_foreach (json_object_get(j_list, "nftables"), i, j_item) {
		size_t k;
		json_t *j_elem;
		json_array_foreach (json_object_get(json_object_get(j_item, "set"), "elem"), k, j_elem)
			fn(j_elem, data);
	}
}

struct recover {
	const char *const *ports;
	size_t n_ports;
	struct sw_maclock *locks;
};

static int port_index(const struct recover *r, const char *name)
{
	for (size_t i = 0; name && i < r->n_ports; i++)
		if (strcmp(r->ports[i], name) == 0)
			return (int)i;
	return -1;
}

static void recover_locked(json_t *j_elem, void *data)
{
	struct recover *r = data;
	int i = port_index(r, json_string_value(j_elem));
	if (i >= 0)
		r->locks[i].is_locked = true;
}

static void recover_allowed(json_t *j_elem, void *data)
{
	struct recover *r = data;
	json_t *j_pair = json_object_get(j_elem, "concat");
	int i = port_index(r, json_string_value(json_array_get(j_pair, 0)));
	const char *mac = json_string_value(json_array_get(j_pair, 1));
	if (i < 0 || !mac || strlen(mac) != 17 || r->locks[i].n_macs == SW_MACLOCK_MAX_MACS)
		return;
	struct sw_maclock *l = &r->locks[i];
	snprintf(l->macs[l->n_macs++], sizeof(l->macs[0]), "%s", mac);
}

int sw_maclock_init(const char *const *ports, size_t n_ports, struct sw_maclock *locks, char **err)
{
	int rc = -1;
	struct strbuf cmds = {0};
	json_t *j_locked = NULL, *j_allowed = NULL;
	nft = nft_ctx_new(NFT_CTX_DEFAULT);
	if (!nft) {
		*err = xstrdup("nft: no context");
		goto out;
	}
	nft_ctx_buffer_output(nft);
	nft_ctx_buffer_error(nft);
	/* `add` keeps what exists (elements, counter values); the chains are
	 * flushed and written anew for this run's ports. One command a line:
	 * nft 1.0.6 misreads a whole table on one line. */
	strbuf_puts(&cmds,
		    "add table " TABLE "\n"
		    "add set " TABLE " allowed { type ifname . ether_addr; }\n"
		    "add set " TABLE " locked { type ifname; }\n"
		    "add chain " TABLE " prerouting { type filter hook prerouting priority -200; policy accept; }\n"
		    "add chain " TABLE " lockdrop\n"
		    "flush chain " TABLE " prerouting\n"
		    "flush chain " TABLE " lockdrop\n"
		    "add rule " TABLE " prerouting iifname @locked iifname . ether saddr != @allowed jump lockdrop\n");
	for (size_t i = 0; i < n_ports; i++) {
		char *line = xasprintf("add counter " TABLE " drops_%s\n"
				       "add rule " TABLE " lockdrop iifname \"%s\" counter name \"drops_%s\" drop\n",
				       ports[i], ports[i], ports[i]);
		strbuf_puts(&cmds, line);
		free(line);
	}
	strbuf_puts(&cmds, "add rule " TABLE " lockdrop drop\n");
	if (nft_run(cmds.text, err) != 0)
		goto out;
	j_locked = nft_list_json("list set " TABLE " locked", err);
	if (!j_locked)
		goto out;
	j_allowed = nft_list_json("list set " TABLE " allowed", err);
	if (!j_allowed)
		goto out;
	memset(locks, 0, n_ports * sizeof(*locks));
	struct recover r = {ports, n_ports, locks};
	set_elements(j_locked, recover_locked, &r);
	set_elements(j_allowed, recover_allowed, &r);
	rc = 0;
out:
	json_decref(j_locked);
	json_decref(j_allowed);
	free(cmds.text);
	return rc;
}

static bool has_mac(const struct sw_maclock *l, const char *mac)
{
	for (size_t i = 0; i < l->n_macs; i++)
		if (strcmp(l->macs[i], mac) == 0)
			return true;
	return false;
}

int sw_maclock_apply(const char *port, const struct sw_maclock *from, const struct sw_maclock *to, char **err)
{
	struct strbuf cmds = {0};
	char *line;
	/* Allowed pairs are set whether or not the port is locked: they are
	 * what the port may send once it is. */
	for (size_t i = 0; i < to->n_macs; i++) {
		if (has_mac(from, to->macs[i]))
			continue;
		line = xasprintf("add element " TABLE " allowed { \"%s\" . %s }\n", port, to->macs[i]);
		strbuf_puts(&cmds, line);
		free(line);
	}
	if (to->is_locked != from->is_locked) {
		line = xasprintf("%s element " TABLE " locked { \"%s\" }\n", to->is_locked ? "add" : "delete", port);
		strbuf_puts(&cmds, line);
		free(line);
	}
	for (size_t i = 0; i < from->n_macs; i++) {
		if (has_mac(to, from->macs[i]))
			continue;
		line = xasprintf("delete element " TABLE " allowed { \"%s\" . %s }\n", port, from->macs[i]);
		strbuf_puts(&cmds, line);
		free(line);
	}
	int rc = cmds.text ? nft_run(cmds.text, err) : 0;
	free(cmds.text);
	return rc;
}

json_t *sw_maclock_drops(char **err)
{
	json_t *j_list = nft_list_json("list counters table " TABLE, err);
	if (!j_list)
		return NULL;
	json_t *j_drops = json_object();
	size_t i;
	json_t *j_item;
	json_array_foreach (json_object_get(j_list, "nftables"), i, j_item) {
		json_t *j_counter = json_object_get(j_item, "counter");
		const char *name = json_string_value(json_object_get(j_counter, "name"));
		if (name && strncmp(name, "drops_", 6) == 0)
			json_object_set(j_drops, name + 6, json_object_get(j_counter, "packets"));
	}
	json_decref(j_list);
	return j_drops;
}

void sw_maclock_close(void)
{
	if (nft)
		nft_ctx_free(nft);
	nft = NULL;
}
