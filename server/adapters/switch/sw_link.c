/*
 * rtnetlink through libmnl (see sw_link.h). One request, one socket, one
 * answer: the adapter's link operations are a handful per HTTP request, and a
 * private socket per call keeps threads from sharing sequence numbers.
 */
#include "adapters/switch/sw_link.h"

#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/if.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define SW_NL_BUF 16384 /* answers */
#define SW_NL_MSG 4096  /* requests */

/* Sends nlh and reads the answer, handing data messages to cb. Returns 0 or
 * a negative errno (an NLMSG_ERROR's code included). */
static int nl_talk(struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
	int rc = -EIO;
	char *buf = malloc(SW_NL_BUF);
	struct mnl_socket *nl = mnl_socket_open(NETLINK_ROUTE);
	if (!buf || !nl) {
		rc = -errno;
		goto out;
	}
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		rc = -errno;
		goto out;
	}
	unsigned seq = (unsigned)time(NULL);
	unsigned portid = mnl_socket_get_portid(nl);
	nlh->nlmsg_seq = seq;
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0) {
		rc = -errno;
		goto out;
	}
	for (;;) {
		ssize_t n = mnl_socket_recvfrom(nl, buf, SW_NL_BUF);
		if (n < 0) {
			rc = -errno;
			goto out;
		}
		int r = mnl_cb_run(buf, (size_t)n, seq, portid, cb, data);
		if (r == MNL_CB_ERROR) {
			rc = errno ? -errno : -EIO;
			goto out;
		}
		if (r == MNL_CB_STOP)
			break;
	}
	rc = 0;
out:
	if (nl)
		mnl_socket_close(nl);
	free(buf);
	return rc;
}

static int linkinfo_cb(const struct nlattr *attr, void *data)
{
	struct sw_link *l = data;
	if (mnl_attr_get_type(attr) == IFLA_INFO_KIND && mnl_attr_validate(attr, MNL_TYPE_STRING) >= 0)
		l->is_bridge = strcmp(mnl_attr_get_str(attr), "bridge") == 0;
	return MNL_CB_OK;
}

static int link_attr_cb(const struct nlattr *attr, void *data)
{
	struct sw_link *l = data;
	switch (mnl_attr_get_type(attr)) {
	case IFLA_IFNAME:
		if (mnl_attr_validate(attr, MNL_TYPE_STRING) >= 0)
			snprintf(l->name, sizeof(l->name), "%s", mnl_attr_get_str(attr));
		break;
	case IFLA_IFALIAS:
		if (mnl_attr_validate(attr, MNL_TYPE_STRING) >= 0)
			snprintf(l->alias, sizeof(l->alias), "%s", mnl_attr_get_str(attr));
		break;
	case IFLA_MASTER:
		if (mnl_attr_validate(attr, MNL_TYPE_U32) >= 0)
			l->master = (int)mnl_attr_get_u32(attr);
		break;
	case IFLA_OPERSTATE:
		if (mnl_attr_validate(attr, MNL_TYPE_U8) >= 0)
			l->is_oper_up = mnl_attr_get_u8(attr) == IF_OPER_UP;
		break;
	case IFLA_LINKINFO:
		mnl_attr_parse_nested(attr, linkinfo_cb, l);
		break;
	case IFLA_STATS64:
		if (mnl_attr_get_payload_len(attr) >= sizeof(struct rtnl_link_stats64)) {
			struct rtnl_link_stats64 s;
			memcpy(&s, mnl_attr_get_payload(attr), sizeof(s));
			l->stats = (struct sw_link_stats){s.rx_packets, s.tx_packets, s.rx_bytes,   s.tx_bytes,
							  s.rx_errors,  s.tx_errors,  s.rx_dropped, s.tx_dropped};
		}
		break;
	default:
		break;
	}
	return MNL_CB_OK;
}

static int link_cb(const struct nlmsghdr *nlh, void *data)
{
	struct sw_link *l = data;
	const struct ifinfomsg *ifm = mnl_nlmsg_get_payload(nlh);
	memset(l, 0, sizeof(*l));
	l->ifindex = ifm->ifi_index;
	l->is_admin_up = (ifm->ifi_flags & IFF_UP) != 0;
	mnl_attr_parse(nlh, sizeof(*ifm), link_attr_cb, l);
	return MNL_CB_OK;
}

static struct nlmsghdr *link_msg(char *buf, int type, unsigned flags, int ifindex)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = (unsigned short)type;
	nlh->nlmsg_flags = (unsigned short)(NLM_F_REQUEST | flags);
	struct ifinfomsg *ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_family = AF_UNSPEC;
	ifm->ifi_index = ifindex;
	return nlh;
}

static int link_get(const char *name, int ifindex, struct sw_link *out)
{
	char buf[SW_NL_MSG];
	struct nlmsghdr *nlh = link_msg(buf, RTM_GETLINK, NLM_F_ACK, ifindex); /* the ack ends the answer */
	if (name)
		mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	struct sw_link l = {.ifindex = 0};
	int rc = nl_talk(nlh, link_cb, &l);
	if (rc == 0 && l.ifindex == 0)
		rc = -ENODEV;
	if (rc == 0)
		*out = l;
	return rc;
}

int sw_link_get(const char *name, struct sw_link *out)
{
	return link_get(name, 0, out);
}

int sw_link_get_by_index(int ifindex, struct sw_link *out)
{
	return link_get(NULL, ifindex, out);
}

static int link_set(int ifindex, unsigned flags, unsigned change, int attr, const void *value, size_t len)
{
	char buf[SW_NL_MSG];
	struct nlmsghdr *nlh = link_msg(buf, RTM_NEWLINK, NLM_F_ACK, ifindex);
	struct ifinfomsg *ifm = mnl_nlmsg_get_payload(nlh);
	ifm->ifi_flags = flags;
	ifm->ifi_change = change;
	if (attr >= 0)
		mnl_attr_put(nlh, (uint16_t)attr, len, value);
	return nl_talk(nlh, NULL, NULL);
}

int sw_link_set_master(int ifindex, int master)
{
	uint32_t m = (uint32_t)master;
	return link_set(ifindex, 0, 0, IFLA_MASTER, &m, sizeof(m));
}

int sw_link_set_admin_up(int ifindex, bool is_up)
{
	return link_set(ifindex, is_up ? IFF_UP : 0, IFF_UP, -1, NULL, 0);
}

/* Creates a bridge; vlan_filtering adds IFLA_BR_VLAN_FILTERING 1. */
static int bridge_add(const char *name, bool vlan_filtering)
{
	char buf[SW_NL_MSG];
	struct nlmsghdr *nlh = link_msg(buf, RTM_NEWLINK, NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, 0);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	struct nlattr *info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "bridge");
	struct nlattr *data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	mnl_attr_put_u8(nlh, IFLA_BR_MCAST_SNOOPING, 0);
	if (vlan_filtering)
		mnl_attr_put_u8(nlh, IFLA_BR_VLAN_FILTERING, 1);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, info);
	return nl_talk(nlh, NULL, NULL);
}

static int link_delete(int ifindex)
{
	char buf[SW_NL_MSG];
	struct nlmsghdr *nlh = link_msg(buf, RTM_DELLINK, NLM_F_ACK, ifindex);
	return nl_talk(nlh, NULL, NULL);
}

int sw_link_bridge_create(const char *name, const char *alias)
{
	int rc = bridge_add(name, false);
	if (rc != 0)
		return rc;
	struct sw_link l;
	rc = sw_link_get(name, &l);
	if (rc != 0)
		return rc;
	rc = link_set(l.ifindex, 0, 0, IFLA_IFALIAS, alias, strlen(alias) + 1);
	if (rc != 0)
		goto fail;
	/* No link-local address: the switch takes no part in IPv6 on the LAN.
	 * Refused where IPv6 is off, which serves the same end. */
	char abuf[SW_NL_MSG];
	struct nlmsghdr *nlh = link_msg(abuf, RTM_NEWLINK, NLM_F_ACK, l.ifindex);
	struct nlattr *af = mnl_attr_nest_start(nlh, IFLA_AF_SPEC);
	struct nlattr *in6 = mnl_attr_nest_start(nlh, AF_INET6);
	mnl_attr_put_u8(nlh, IFLA_INET6_ADDR_GEN_MODE, IN6_ADDR_GEN_MODE_NONE);
	mnl_attr_nest_end(nlh, in6);
	mnl_attr_nest_end(nlh, af);
	(void)nl_talk(nlh, NULL, NULL);
	rc = sw_link_set_admin_up(l.ifindex, true);
	if (rc == 0)
		return 0;
fail:
	link_delete(l.ifindex);
	return rc;
}

bool sw_link_has_vlan_filtering(void)
{
	char name[SW_IFNAME_MAX];
	snprintf(name, sizeof(name), "ixvf%d", (int)(getpid() % 100000000));
	if (bridge_add(name, true) != 0)
		return false;
	struct sw_link l;
	if (sw_link_get(name, &l) == 0)
		link_delete(l.ifindex);
	return true;
}
