/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * xmasq_ingress_fast_path
 *
 * Hook:     SEC("tc") direct action on the host NIC, TC ingress.
 * Inputs:   the frame; host_devices[skb->ifindex] (this NIC's IPv4, MAC, VXLAN port and VNI), egress_headers
 *           (known remote hosts), endpoints, filter_cache; cfg_vxlan_port, cfg_vni, cfg_mark_miss, cfg_mark_remote.
 * Verdicts: TC_ACT_REDIRECT  hit: decapsulated, MACs set as the gateway would deliver, inner TTL decremented,
 *                            bpf_redirect_peer into the container.
 *           TC_ACT_OK        miss (a valid VXLAN packet for us): unchanged, skb->mark |= cfg_mark_miss |
 *                            cfg_mark_remote so the ingress learner learns from its delivery;
 *                            anything else (host traffic, invalid or ineligible VXLAN): unchanged, unmarked.
 *           TC_ACT_SHOT      only when a helper fails after the packet was already rewritten.
 */
#ifndef XMASQ_INGRESS_FAST_PATH_H
#define XMASQ_INGRESS_FAST_PATH_H

#include "filter.h"
#include "maps.h"
#include "packet.h"

/*
 * The outer UDP header goes with the decapsulation: like the kernel's UDP receive path, consume one level of
 * CHECKSUM_UNNECESSARY for it instead of letting bpf_skb_adjust_room reset the inner TCP/UDP validation.
 */
#define DECAP_ADJ_ROOM_FLAGS (BPF_F_ADJ_ROOM_FIXED_GSO | BPF_F_ADJ_ROOM_NO_CSUM_RESET)

SEC("tc")
int xmasq_ingress_fast_path(struct __sk_buff *skb)
{
	const __u32 miss = cfg_mark_miss | cfg_mark_remote;
	__u8 container_mac[ETH_ALEN], gateway_mac[ETH_ALEN];
	struct xmasq_host_device *dev;
	struct xmasq_endpoint *ep;
	struct xmasq_flow_key key;
	struct flow outer, inner;
	__u32 ifindex = skb->ifindex;
	__u32 vni, target;
	void *data, *data_end;
	struct vxlan_encap *h;
	struct ethhdr *eth;
	struct iphdr *ip;
	__u16 port;
	int reason;

	dev = bpf_map_lookup_elem(&host_devices, &ifindex);
	if (!dev)
		return pass_unmarked(STAT_PASS_NO_HOST_DEVICE);
	port = dev->vxlan_port ? dev->vxlan_port : cfg_vxlan_port;
	vni = dev->vni ? dev->vni : cfg_vni;
	if (skb->vlan_present)
		return pass_unmarked(STAT_PASS_NOT_OVERLAY); /* for a VLAN device above this one */
	if (skb->len > MAX_FAST_PATH_LEN)
		return pass_unmarked(STAT_PASS_TOO_BIG);

	pull_headers(skb, VXLAN_PARSE_LEN);
	data = (void *)(long)skb->data;
	data_end = (void *)(long)skb->data_end;
	reason = parse_vxlan_frame(data, data_end, skb->len, port, vni, &outer, &inner);
	if (reason != ELIGIBLE)
		return pass_unmarked(reason);
	h = data;
	if ((void *)(h + 1) > data_end)
		return pass_unmarked(STAT_HEADER_INVALID);
	if (!mac_equal(h->eth.h_dest, dev->mac) || outer.daddr != dev->addr)
		return pass_unmarked(STAT_HEADER_INVALID);
	/*
	 * A GSO packet keeps SKB_GSO_UDP_TUNNEL and skb->encapsulation after bpf_skb_adjust_room on this kernel
	 * (only BPF_F_ADJ_ROOM_DECAP_L4_UDP, newer than 6.18, clears them); the kernel's VXLAN device does.
	 * Decapsulated here only when configured to (see cfg_ingress_gso).
	 */
	if (skb->gso_size && !cfg_ingress_gso)
		return pass_unmarked(STAT_PASS_INGRESS_GSO);
	if (inner.ttl <= 1)
		return pass_unmarked(STAT_PASS_TTL_EXPIRING);

	if (!bpf_map_lookup_elem(&egress_headers, &outer.saddr))
		return pass_marked(skb, STAT_MISS_UNKNOWN_REMOTE_HOST, miss);
	ep = bpf_map_lookup_elem(&endpoints, &inner.daddr);
	if (!ep)
		return pass_marked(skb, STAT_MISS_NO_ENDPOINT, miss);
	if ((ep->flags & ENDPOINT_MACS_KNOWN) != ENDPOINT_MACS_KNOWN)
		return pass_marked(skb, STAT_MISS_MACS_NOT_LEARNED, miss);
	flow_key_of(&key, &inner, 0);
	reason = filter_check(&key);
	if (reason != ELIGIBLE)
		return pass_marked(skb, reason, miss);
	mac_copy(container_mac, ep->container_mac);
	mac_copy(gateway_mac, ep->gateway_mac);
	target = ep->ifindex;

	if (bpf_skb_adjust_room(skb, -ENCAP_LEN, BPF_ADJ_ROOM_MAC, DECAP_ADJ_ROOM_FLAGS))
		return pass_marked(skb, STAT_REDIRECT_ERROR, miss); /* nothing was changed */
	bpf_csum_level(skb, BPF_CSUM_LEVEL_DEC);

	data = (void *)(long)skb->data;
	data_end = (void *)(long)skb->data_end;
	eth = data;
	ip = data + sizeof(struct ethhdr);
	if ((void *)(ip + 1) > data_end) {
		count(STAT_REDIRECT_ERROR);
		return TC_ACT_SHOT;
	}
	/* The outer Ethernet header stays (its type is already IPv4) and becomes the delivered one. */
	mac_copy(eth->h_dest, container_mac);
	mac_copy(eth->h_source, gateway_mac);
	/* A routed overlay decrements the inner TTL once on the receiving host too. */
	ipv4_decrement_ttl(ip);

	count(STAT_HIT_INGRESS);
	return bpf_redirect_peer(target, 0);
}

#endif
