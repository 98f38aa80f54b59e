/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * xmasq_ingress_learner
 *
 * Hook:     SEC("tc") direct action on the host-side veth of each container, TC egress (the packets the slow
 *           path is about to deliver into the container).
 * Inputs:   skb->mark (cfg_mark_miss, cfg_mark_remote, cfg_mark_est with cfg_require_est); the frame;
 *           endpoints (the destination must be registered for this veth).
 * Learns:   marked miss + remote (it came from another host through the overlay):
 *             filter_cache[local=dst, remote=src, ports, proto] |= FILTER_SEEN_INGRESS,
 *             endpoint container MAC = Ethernet destination, gateway MAC = Ethernet source (the overlay
 *             routed it, so these are exactly the MACs the ingress fast path must deliver with);
 *           marked miss only, from a registered endpoint on this host (intra-host):
 *             filter_cache[local=src, remote=dst] |= FILTER_SEEN_EGRESS,
 *             filter_cache[local=dst, remote=src] |= FILTER_SEEN_INGRESS,
 *             endpoint container MAC = Ethernet destination if not known yet (a frame flooded by the bridge
 *             may carry another MAC; the gateway MAC is never learned here, a bridged frame carries the
 *             sender's MAC).
 *           Filter entries are inserted or refreshed (BPF_ANY); endpoints are only updated, never created.
 *           Clears our mark bits from every marked packet.
 * Verdicts: TC_ACT_OK always; the packet bytes are never changed.
 */
#ifndef XMASQ_INGRESS_LEARNER_H
#define XMASQ_INGRESS_LEARNER_H

#include "filter.h"
#include "maps.h"
#include "packet.h"

static __always_inline int endpoint_differs(const struct xmasq_endpoint *a, const struct xmasq_endpoint *b)
{
	return a->flags != b->flags || !mac_equal(a->container_mac, b->container_mac) ||
	       !mac_equal(a->gateway_mac, b->gateway_mac);
}

SEC("tc")
int xmasq_ingress_learner(struct __sk_buff *skb)
{
	const __u32 mark = skb->mark;
	struct xmasq_endpoint *ep, learned;
	struct xmasq_flow_key key;
	void *data, *data_end;
	struct ethhdr *eth;
	struct flow f;

	if (!(mark & cfg_mark_miss))
		return TC_ACT_OK;
	/* The marks are ours; nothing inside the container may see them. */
	skb->mark = mark & ~(cfg_mark_miss | cfg_mark_remote | cfg_mark_est);
	if (cfg_require_est && !(mark & cfg_mark_est))
		return pass_unmarked(STAT_LEARN_IGNORED);

	pull_headers(skb, FRAME_PARSE_LEN);
	data = (void *)(long)skb->data;
	data_end = (void *)(long)skb->data_end;
	if (parse_ipv4_frame(data, data_end, 0, skb->len - ETH_HLEN, &f) != ELIGIBLE)
		return pass_unmarked(STAT_LEARN_IGNORED);
	eth = data;
	if ((void *)(eth + 1) > data_end || (eth->h_source[0] & 1))
		return pass_unmarked(STAT_LEARN_IGNORED);

	/* Delivered to the container that owns the destination address, through its own veth. */
	ep = bpf_map_lookup_elem(&endpoints, &f.daddr);
	if (!ep || ep->ifindex != skb->ifindex)
		return pass_unmarked(STAT_LEARN_IGNORED);
	learned = *ep;

	if (mark & cfg_mark_remote) {
		flow_key_of(&key, &f, 0);
		filter_learn(&key, FILTER_SEEN_INGRESS, STAT_LEARN_FILTER_INGRESS);
		mac_copy(learned.container_mac, eth->h_dest);
		mac_copy(learned.gateway_mac, eth->h_source);
		learned.flags |= ENDPOINT_MACS_KNOWN;
	} else {
		if (!bpf_map_lookup_elem(&endpoints, &f.saddr))
			return pass_unmarked(STAT_LEARN_IGNORED);
		flow_key_of(&key, &f, 1);
		filter_learn(&key, FILTER_SEEN_EGRESS, STAT_LEARN_FILTER_EGRESS);
		flow_key_of(&key, &f, 0);
		filter_learn(&key, FILTER_SEEN_INGRESS, STAT_LEARN_FILTER_INGRESS);
		if (!(learned.flags & ENDPOINT_CONTAINER_MAC_KNOWN)) {
			mac_copy(learned.container_mac, eth->h_dest);
			learned.flags |= ENDPOINT_CONTAINER_MAC_KNOWN;
		}
	}

	if (endpoint_differs(&learned, ep)) {
		/* BPF_EXIST: the SDK owns registration; an endpoint removed meanwhile stays removed. */
		if (bpf_map_update_elem(&endpoints, &f.daddr, &learned, BPF_EXIST))
			count(STAT_LEARN_FAILED);
		else
			count(STAT_LEARN_ENDPOINT_MACS);
	}
	return TC_ACT_OK;
}

#endif
