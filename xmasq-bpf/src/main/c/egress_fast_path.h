/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * xmasq_egress_fast_path
 *
 * Hook:     SEC("tc") direct action on the host-side veth of each container, TC ingress (the packets the
 *           container sends).
 * Inputs:   the frame; endpoints, filter_cache, egress_hosts, egress_headers; cfg_intra_host, cfg_mark_miss,
 *           cfg_sport_min/max.
 * Verdicts: TC_ACT_REDIRECT  intra-host hit: the frame as the overlay would deliver it, bpf_redirect_peer into
 *                            the destination container;
 *                            inter-host hit: VXLAN-encapsulated with the cached header, bpf_redirect to the NIC.
 *           TC_ACT_OK        miss: unchanged, skb->mark |= cfg_mark_miss so the learners learn from it;
 *                            not eligible, or a source address not registered for this veth: unchanged, unmarked.
 *           TC_ACT_SHOT      only when a helper fails after the packet was already rewritten.
 */
#ifndef XMASQ_EGRESS_FAST_PATH_H
#define XMASQ_EGRESS_FAST_PATH_H

#include "filter.h"
#include "maps.h"
#include "packet.h"

#define ENCAP_ADJ_ROOM_FLAGS                                                                               \
	(BPF_F_ADJ_ROOM_FIXED_GSO | BPF_F_ADJ_ROOM_ENCAP_L3_IPV4 | BPF_F_ADJ_ROOM_ENCAP_L4_UDP |            \
	 BPF_F_ADJ_ROOM_ENCAP_L2(ETH_HLEN) | BPF_F_ADJ_ROOM_ENCAP_L2_ETH)

/* The outer source port, computed like the kernel's udp_flow_src_port() so a flow keeps its slow-path port. */
static __always_inline __u16 udp_source_port(__u32 hash)
{
	__u32 min = cfg_sport_min;
	__u32 max = cfg_sport_max;

	if (max <= min)
		return min;
	hash ^= hash << 16;
	return min + (((__u64)hash * (max - min)) >> 32);
}

/*
 * Whether the encapsulated packet fits the NIC's MTU. A GSO packet is checked per segment: each carries the
 * inner IPv4 and L4 headers, gso_size bytes of payload and the encapsulation. FIXED_GSO keeps gso_size, so a
 * container whose MTU leaves no room for the 50 bytes would otherwise be black-holed.
 */
static __always_inline int encap_fits_mtu(struct __sk_buff *skb, __u32 nic, const struct flow *f)
{
	__u32 mtu = 0;
	long ret = bpf_check_mtu(skb, nic, &mtu, ENCAP_LEN, 0);

	if (ret < 0)
		return 0;
	if (skb->gso_size == 0)
		return ret == BPF_MTU_CHK_RET_SUCCESS;
	if (f->l4_hdr_len == 0)
		return 0;
	return sizeof(struct iphdr) + f->l4_hdr_len + skb->gso_size + ENCAP_LEN <= mtu;
}

/* Destination on this host: deliver straight into its namespace, as the bridge or the gateway would. */
static __always_inline int egress_to_local(struct __sk_buff *skb, const struct flow *f,
					   const struct xmasq_endpoint *src, const struct xmasq_endpoint *dst)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = data + sizeof(struct ethhdr);
	struct xmasq_flow_key key;
	int reason;

	if (!cfg_intra_host)
		return pass_unmarked(STAT_PASS_INTRA_HOST_DISABLED);
	flow_key_of(&key, f, 1);
	reason = filter_check(&key);
	if (reason != ELIGIBLE)
		return pass_marked(skb, reason, cfg_mark_miss);
	if (!(dst->flags & ENDPOINT_CONTAINER_MAC_KNOWN))
		return pass_marked(skb, STAT_MISS_MACS_NOT_LEARNED, cfg_mark_miss);
	if ((void *)(ip + 1) > data_end)
		return pass_unmarked(STAT_PASS_MALFORMED);

	if (mac_equal(eth->h_dest, dst->container_mac)) {
		/* Same subnet: the sender resolved the destination itself and a bridge delivers the frame as is. */
	} else if ((src->flags & ENDPOINT_GATEWAY_MAC_KNOWN) && mac_equal(eth->h_dest, src->gateway_mac)) {
		/* Routed: the gateway delivers it from its own MAC, one hop (one TTL) later. */
		if (!(dst->flags & ENDPOINT_GATEWAY_MAC_KNOWN))
			return pass_marked(skb, STAT_MISS_MACS_NOT_LEARNED, cfg_mark_miss);
		mac_copy(eth->h_dest, dst->container_mac);
		mac_copy(eth->h_source, dst->gateway_mac);
		ipv4_decrement_ttl(ip);
	} else {
		/* The slow path would flood or drop this frame; let it. */
		return pass_marked(skb, STAT_MISS_UNEXPECTED_DST_MAC, cfg_mark_miss);
	}
	count(STAT_HIT_EGRESS_INTRA_HOST);
	return bpf_redirect_peer(dst->ifindex, 0);
}

/* Destination on another host: encapsulate as the overlay would and send it out of the NIC directly. */
static __always_inline int egress_to_remote(struct __sk_buff *skb, const struct flow *f)
{
	union {
		struct vxlan_encap h;
		__u8 bytes[EGRESS_HEADER_LEN];
		__u16 words[EGRESS_HEADER_LEN / 2];
	} encap;
	struct xmasq_egress_header *header;
	struct xmasq_egress_host *host;
	struct xmasq_flow_key key;
	void *data, *data_end;
	__be32 remote_host;
	__u32 nic, len;
	__u16 sport;
	int reason;

	flow_key_of(&key, f, 1);
	reason = filter_check(&key);
	if (reason != ELIGIBLE)
		return pass_marked(skb, reason, cfg_mark_miss);
	host = bpf_map_lookup_elem(&egress_hosts, &f->daddr);
	if (!host)
		return pass_marked(skb, STAT_MISS_NO_EGRESS_HOST, cfg_mark_miss);
	remote_host = host->host_addr;
	header = bpf_map_lookup_elem(&egress_headers, &remote_host);
	if (!header)
		return pass_marked(skb, STAT_MISS_NO_EGRESS_HEADER, cfg_mark_miss);
	/* Copy now: a learner may replace the entry while this packet is being rewritten. */
	__builtin_memcpy(encap.bytes, header->bytes, EGRESS_HEADER_LEN);
	nic = header->ifindex;

	/* The outer total length must still fit in 16 bits. */
	if (skb->len + ENCAP_LEN - ETH_HLEN > MAX_FAST_PATH_LEN)
		return pass_unmarked(STAT_PASS_TOO_BIG);
	if (!encap_fits_mtu(skb, nic, f))
		return pass_marked(skb, STAT_MISS_NIC_MTU, cfg_mark_miss);

	/* The hash of the inner flow, taken before the packet changes, exactly what the VXLAN device would hash. */
	sport = udp_source_port(bpf_get_hash_recalc(skb));

	if (bpf_skb_adjust_room(skb, ENCAP_LEN, BPF_ADJ_ROOM_MAC, ENCAP_ADJ_ROOM_FLAGS))
		return pass_marked(skb, STAT_REDIRECT_ERROR, cfg_mark_miss); /* nothing was changed */

	len = skb->len;
	encap.h.ip.tot_len = bpf_htons(len - ETH_HLEN);
	/* The kernel gives DF tunnel packets id 0 (what the cache holds) and the others a fresh id. */
	if (!(encap.h.ip.frag_off & bpf_htons(IPV4_DF)))
		encap.h.ip.id = (__u16)bpf_get_prandom_u32();
	encap.h.ip.tos = tunnel_outer_tos(encap.h.ip.tos, f->tos);
	encap.h.ip.check = 0;
	encap.h.ip.check = ipv4_header_checksum(&encap.words[ETH_HLEN / 2]);
	encap.h.udp.len = bpf_htons(len - ETH_HLEN - sizeof(struct iphdr));
	encap.h.udp.source = bpf_htons(sport);
	encap.h.udp.check = 0;

	data = (void *)(long)skb->data;
	data_end = (void *)(long)skb->data_end;
	if (data + VXLAN_INNER_L3_OFF + sizeof(struct iphdr) > data_end) {
		count(STAT_REDIRECT_ERROR);
		return TC_ACT_SHOT;
	}
	__builtin_memcpy(data, encap.bytes, EGRESS_HEADER_LEN);
	/* A routed overlay decrements the inner TTL once on the sending host. */
	ipv4_decrement_ttl(data + VXLAN_INNER_L3_OFF);

	count(STAT_HIT_EGRESS_INTER_HOST);
	return bpf_redirect(nic, 0);
}

SEC("tc")
int xmasq_egress_fast_path(struct __sk_buff *skb)
{
	struct xmasq_endpoint *src, *dst;
	void *data, *data_end;
	struct flow f;
	int reason;

	if (skb->len > MAX_FAST_PATH_LEN)
		return pass_unmarked(STAT_PASS_TOO_BIG);
	pull_headers(skb, FRAME_PARSE_LEN);
	data = (void *)(long)skb->data;
	data_end = (void *)(long)skb->data_end;
	reason = parse_ipv4_frame(data, data_end, 0, skb->len - ETH_HLEN, &f);
	if (reason != ELIGIBLE)
		return pass_unmarked(reason);
	if (f.ttl <= 1)
		return pass_unmarked(STAT_PASS_TTL_EXPIRING);

	/* Anti-spoofing: the source must be the address registered for this very veth. */
	src = bpf_map_lookup_elem(&endpoints, &f.saddr);
	if (!src || src->ifindex != skb->ifindex)
		return pass_unmarked(STAT_SPOOF_REJECTED);

	dst = bpf_map_lookup_elem(&endpoints, &f.daddr);
	if (dst)
		return egress_to_local(skb, &f, src, dst);
	return egress_to_remote(skb, &f);
}

#endif
