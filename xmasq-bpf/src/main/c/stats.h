/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * Counters of the stats map (PERCPU_ARRAY of __u64, index = enum xmasq_stat). The values are part of the
 * SDK's interface: append new counters before STAT_COUNT, never renumber.
 */
#ifndef XMASQ_STATS_H
#define XMASQ_STATS_H

enum xmasq_stat {
	/* Fast-path hits: the packet was redirected. */
	STAT_HIT_EGRESS_INTER_HOST = 0,    /* encapsulated and redirected to the NIC */
	STAT_HIT_EGRESS_INTRA_HOST = 1,    /* redirected into a container on this host */
	STAT_HIT_INGRESS = 2,              /* decapsulated and redirected into a container */

	/* Misses: the packet takes the overlay carrying mark_miss (and mark_remote on ingress) so the learners learn. */
	STAT_MISS_NO_ENDPOINT = 3,         /* ingress: the inner destination is not a registered endpoint */
	STAT_MISS_NO_FILTER_ENTRY = 4,     /* the flow has no filter entry */
	STAT_MISS_HALF_FILTER = 5,         /* the flow's filter entry has only one of its two bits */
	STAT_MISS_NO_EGRESS_HOST = 6,      /* egress: no level-1 entry for the destination */
	STAT_MISS_NO_EGRESS_HEADER = 7,    /* egress: no level-2 entry for the destination's host */
	STAT_MISS_UNKNOWN_REMOTE_HOST = 8, /* ingress: the outer source is not a host in level 2 */
	STAT_MISS_MACS_NOT_LEARNED = 9,    /* the endpoint's container/gateway MAC is not known yet */
	STAT_MISS_UNEXPECTED_DST_MAC = 10, /* intra-host: frame addressed neither to the destination nor to the gateway */
	STAT_MISS_NIC_MTU = 11,            /* egress: the output NIC is gone or the encapsulated packet exceeds its MTU */

	/* Not eligible for a fast path: passed to the overlay unchanged and unmarked. */
	STAT_PASS_NOT_IPV4 = 12,           /* ARP, IPv6, ... (inner frame too, on ingress) */
	STAT_PASS_FRAGMENT = 13,           /* MF set or fragment offset != 0 */
	STAT_PASS_IP_OPTIONS = 14,         /* ihl > 5 */
	STAT_PASS_BROADCAST_MULTICAST = 15,/* destination MAC or IPv4 is broadcast or multicast */
	STAT_PASS_MALFORMED = 16,          /* truncated, inconsistent lengths, bad version/ihl */
	STAT_PASS_TOO_BIG = 17,            /* more than 64 KiB, or too big to encapsulate */
	STAT_PASS_TTL_EXPIRING = 18,       /* TTL <= 1: the overlay must answer with ICMP time exceeded */
	STAT_PASS_NOT_OVERLAY = 19,        /* ingress: not UDP to our VXLAN port (ordinary host traffic) */
	STAT_PASS_NO_HOST_DEVICE = 20,     /* ingress: this NIC is not in host_devices */
	STAT_PASS_INTRA_HOST_DISABLED = 21,/* egress: destination on this host but cfg_intra_host is 0 */
	STAT_PASS_INGRESS_GSO = 22,        /* ingress: GRO aggregate, left to the kernel's VXLAN device */

	/* Rejections and errors. */
	STAT_SPOOF_REJECTED = 23,          /* egress: source IPv4 not registered for this veth; passed untouched */
	STAT_HEADER_INVALID = 24,          /* ingress: to our VXLAN port but wrong VNI/flags/lengths/dst MAC/dst IP */
	STAT_REDIRECT_ERROR = 25,          /* a helper failed while rewriting the packet */

	/* Learning (one count per map write). */
	STAT_LEARN_ENDPOINT_MACS = 26,     /* an endpoint's MACs were filled or changed */
	STAT_LEARN_EGRESS_HOST = 27,       /* level-1 entry inserted or refreshed */
	STAT_LEARN_EGRESS_HEADER = 28,     /* level-2 entry inserted or refreshed */
	STAT_LEARN_FILTER_EGRESS = 29,     /* filter entry written with its egress bit */
	STAT_LEARN_FILTER_INGRESS = 30,    /* filter entry written with its ingress bit */
	STAT_LEARN_FAILED = 31,            /* a learning map update failed */
	STAT_LEARN_IGNORED = 32,           /* a marked packet the learner could not learn from */

	STAT_COUNT = 33
};

#endif
