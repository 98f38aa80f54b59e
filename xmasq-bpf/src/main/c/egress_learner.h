/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * xmasq_egress_learner
 *
 * Hook:     SEC("tc") direct action on the host NIC, TC egress: the VXLAN packets the overlay produced. The
 *           egress fast path's mark_miss survives the VXLAN device (same namespace, so skb->mark is kept).
 * Inputs:   skb->mark (cfg_mark_miss, cfg_mark_remote, cfg_mark_est with cfg_require_est); the frame;
 *           host_devices[skb->ifindex] (VXLAN port and VNI, else the .rodata defaults); endpoints.
 * Learns:   from a packet marked miss (not remote) whose inner source is a registered endpoint:
 *           filter_cache[local=inner src, remote=inner dst, ports, proto] |= FILTER_SEEN_EGRESS,
 *           egress_hosts[inner dst] = outer dst, egress_headers[outer dst] = first 64 bytes + skb->ifindex.
 *           All inserts or refreshes (BPF_ANY). Clears our mark bits from every marked packet.
 * Verdicts: TC_ACT_OK always; the packet bytes are never changed.
 */
#ifndef XMASQ_EGRESS_LEARNER_H
#define XMASQ_EGRESS_LEARNER_H

#include "filter.h"
#include "maps.h"
#include "packet.h"

SEC("tc")
int xmasq_egress_learner(struct __sk_buff *skb)
{
	const __u32 mark = skb->mark;
	struct xmasq_egress_header header;
	struct xmasq_egress_host host;
	struct xmasq_host_device *dev;
	struct xmasq_flow_key key;
	struct flow outer, inner;
	__u32 ifindex = skb->ifindex;
	void *data, *data_end;
	__u16 port = cfg_vxlan_port;
	__u32 vni = cfg_vni;

	if (!(mark & cfg_mark_miss))
		return TC_ACT_OK;
	/* The marks are ours and mean nothing past this point. */
	skb->mark = mark & ~(cfg_mark_miss | cfg_mark_remote | cfg_mark_est);
	/* Remote-marked packets came from another host: nothing to learn about our own egress. */
	if ((mark & cfg_mark_remote) || (cfg_require_est && !(mark & cfg_mark_est)))
		return pass_unmarked(STAT_LEARN_IGNORED);

	dev = bpf_map_lookup_elem(&host_devices, &ifindex);
	if (dev && dev->vxlan_port)
		port = dev->vxlan_port;
	if (dev && dev->vni)
		vni = dev->vni;

	pull_headers(skb, VXLAN_PARSE_LEN);
	data = (void *)(long)skb->data;
	data_end = (void *)(long)skb->data_end;
	if (parse_vxlan_frame(data, data_end, skb->len, port, vni, &outer, &inner) != ELIGIBLE)
		return pass_unmarked(STAT_LEARN_IGNORED);
	if (data + EGRESS_HEADER_LEN > data_end)
		return pass_unmarked(STAT_LEARN_IGNORED);
	/* Only flows of our own containers; anything else marked (host forwarding, ...) is not ours to learn. */
	if (!bpf_map_lookup_elem(&endpoints, &inner.saddr))
		return pass_unmarked(STAT_LEARN_IGNORED);

	__builtin_memcpy(header.bytes, data, EGRESS_HEADER_LEN);
	header.ifindex = ifindex;
	host.host_addr = outer.daddr;

	if (bpf_map_update_elem(&egress_headers, &outer.daddr, &header, BPF_ANY))
		count(STAT_LEARN_FAILED);
	else
		count(STAT_LEARN_EGRESS_HEADER);
	if (bpf_map_update_elem(&egress_hosts, &inner.daddr, &host, BPF_ANY))
		count(STAT_LEARN_FAILED);
	else
		count(STAT_LEARN_EGRESS_HOST);
	flow_key_of(&key, &inner, 1);
	filter_learn(&key, FILTER_SEEN_EGRESS, STAT_LEARN_FILTER_EGRESS);
	return TC_ACT_OK;
}

#endif
