/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * The datapath's maps and the C layout of their keys and values.
 *
 * Every struct is padding-free (explicit pad fields, which are always zero) because the Java codecs mirror
 * these layouts byte for byte and a key's padding is part of its hash. Addresses, MACs and the ports of a
 * flow key are in network byte order, exactly as in the packet; every other integer is in host order.
 * README.md in this directory lists every offset.
 *
 * max_entries are defaults: the SDK may resize each map before load.
 */
#ifndef XMASQ_MAPS_H
#define XMASQ_MAPS_H

#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#include "stats.h"

/* endpoints: local container IPv4 -> its host-side veth and the MACs the slow path delivers with. */
#define ENDPOINT_CONTAINER_MAC_KNOWN 0x1u /* container_mac is valid */
#define ENDPOINT_GATEWAY_MAC_KNOWN 0x2u   /* gateway_mac is valid */
#define ENDPOINT_MACS_KNOWN (ENDPOINT_CONTAINER_MAC_KNOWN | ENDPOINT_GATEWAY_MAC_KNOWN)

struct xmasq_endpoint {
	__u32 ifindex;          /*  0: host-side veth, in the host namespace */
	__u8 container_mac[6];  /*  4: the container's own MAC (destination of frames delivered to it) */
	__u8 gateway_mac[6];    /* 10: the MAC routed frames come from (the bridge/gateway of the overlay) */
	__u32 flags;            /* 16: ENDPOINT_* bits */
};                              /* 20 */

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __be32);                    /* container IPv4 */
	__type(value, struct xmasq_endpoint);
} endpoints SEC(".maps");

/* Level 1 of the egress cache: remote container -> the host it lives on. */
struct xmasq_egress_host {
	__be32 host_addr;       /*  0: the remote host's underlay IPv4 (outer destination) */
};                              /*  4 */

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, __be32);                    /* remote container IPv4 */
	__type(value, struct xmasq_egress_host);
} egress_hosts SEC(".maps");

/*
 * Level 2 of the egress cache: remote host -> the first 64 bytes of a VXLAN packet the overlay sent to it,
 * outer Ethernet(14) + IPv4(20, no options) + UDP(8) + VXLAN(8) + inner Ethernet(14), and the NIC it left by.
 * The fast path patches the per-packet fields (IP total length, id, ECN, checksum; UDP length, source port,
 * checksum) and keeps everything else.
 */
#define EGRESS_HEADER_LEN 64

struct xmasq_egress_header {
	__u8 bytes[EGRESS_HEADER_LEN]; /*  0 */
	__u32 ifindex;                 /* 64: output NIC */
};                                     /* 68 */

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 1024);
	__type(key, __be32);                    /* remote host IPv4 */
	__type(value, struct xmasq_egress_header);
} egress_headers SEC(".maps");

/*
 * Filter cache: one flow as the local container sees it. A flow may take a fast path only when both bits
 * are set: the slow path let it out (FILTER_SEEN_EGRESS) and delivered its reply (FILTER_SEEN_INGRESS).
 * protocol is the IP protocol; ports are 0 for protocols other than TCP and UDP.
 */
#define FILTER_SEEN_EGRESS 0x1u
#define FILTER_SEEN_INGRESS 0x2u
#define FILTER_SEEN_BOTH (FILTER_SEEN_EGRESS | FILTER_SEEN_INGRESS)

struct xmasq_flow_key {
	__be32 local_addr;      /*  0: the local container */
	__be32 remote_addr;     /*  4: its peer (remote or on this host) */
	__be16 local_port;      /*  8 */
	__be16 remote_port;     /* 10 */
	__u8 protocol;          /* 12 */
	__u8 pad[3];            /* 13: zero */
};                              /* 16 */

struct xmasq_filter_entry {
	__u32 seen;             /*  0: FILTER_SEEN_* bits */
};                              /*  4 */

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 65536);
	__type(key, struct xmasq_flow_key);
	__type(value, struct xmasq_filter_entry);
} filter_cache SEC(".maps");

/* host_devices: the host's overlay NIC(s), written by the SDK. 0 in vxlan_port / vni means the .rodata default. */
struct xmasq_host_device {
	__be32 addr;            /*  0: the NIC's underlay IPv4 */
	__u8 mac[6];            /*  4: the NIC's MAC */
	__u16 vxlan_port;       /* 10: host byte order */
	__u32 vni;              /* 12: host byte order, low 24 bits */
};                              /* 16 */

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, __u32);                     /* NIC ifindex */
	__type(value, struct xmasq_host_device);
} host_devices SEC(".maps");

/* stats: per-CPU event counters indexed by enum xmasq_stat; the SDK sums the CPUs. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, STAT_COUNT);
	__type(key, __u32);
	__type(value, __u64);
} stats SEC(".maps");

static __always_inline void count(enum xmasq_stat stat)
{
	__u32 key = stat;
	__u64 *value = bpf_map_lookup_elem(&stats, &key);

	if (value)
		*value += 1;
}

_Static_assert(sizeof(struct xmasq_endpoint) == 20, "endpoint layout");
_Static_assert(sizeof(struct xmasq_egress_host) == 4, "egress host layout");
_Static_assert(sizeof(struct xmasq_egress_header) == 68, "egress header layout");
_Static_assert(sizeof(struct xmasq_flow_key) == 16, "flow key layout");
_Static_assert(sizeof(struct xmasq_filter_entry) == 4, "filter entry layout");
_Static_assert(sizeof(struct xmasq_host_device) == 16, "host device layout");

#endif
