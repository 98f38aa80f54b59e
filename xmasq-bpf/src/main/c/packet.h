/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * Packet parsing and rewriting helpers shared by the four programs. Everything is bounds-checked against
 * data_end with fixed offsets: no loops over packet data, nothing the verifier has to guess.
 */
#ifndef XMASQ_PACKET_H
#define XMASQ_PACKET_H

#include <linux/types.h>
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <linux/tcp.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#include "config.h"
#include "maps.h"
#include "stats.h"

#define IPV4_MF 0x2000
#define IPV4_OFFSET 0x1fff
#define IPV4_DF 0x4000
#define IPV4_ECN_MASK 0x03
#define IPV4_ECN_ECT0 0x02
#define IPV4_ECN_CE 0x03

#define VXLAN_FLAG_VNI 0x08

/* Offsets in a VXLAN frame: outer Ethernet(14) IPv4(20) UDP(8) VXLAN(8), then the inner frame. */
#define VXLAN_INNER_FRAME_OFF 50
#define VXLAN_INNER_L3_OFF 64
/* What encapsulation inserts between the Ethernet header and the IPv4 header (and decapsulation removes). */
#define ENCAP_LEN 50
/* The largest packet a fast path takes (64 KiB, what an IPv4 total length can describe). */
#define MAX_FAST_PATH_LEN 0xffff

/* Bytes a program needs in the linear area: Ethernet + IPv4 + a full TCP header, plain or inside VXLAN. */
#define FRAME_PARSE_LEN (ETH_HLEN + 20 + 20)
#define VXLAN_PARSE_LEN (VXLAN_INNER_L3_OFF + 20 + 20)

/* Returned by the parsers when the packet may take a fast path; any other value is an enum xmasq_stat. */
#define ELIGIBLE (-1)

struct vxlan_hdr {
	__u8 flags;
	__u8 reserved1[3];
	__u8 vni[3];
	__u8 reserved2;
};

/* The 64 bytes level 2 caches, as laid out on the wire. */
struct vxlan_encap {
	struct ethhdr eth;
	struct iphdr ip;
	struct udphdr udp;
	struct vxlan_hdr vxlan;
	struct ethhdr inner_eth;
} __attribute__((packed));

_Static_assert(sizeof(struct vxlan_encap) == 64, "VXLAN encapsulation is 64 bytes");
_Static_assert(__builtin_offsetof(struct vxlan_encap, inner_eth) == VXLAN_INNER_FRAME_OFF, "inner frame offset");

/* What the datapath reads from one IPv4 packet. Addresses and ports in network byte order. */
struct flow {
	__be32 saddr;
	__be32 daddr;
	__be16 sport;       /* 0 unless TCP or UDP */
	__be16 dport;
	__u8 protocol;
	__u8 ttl;
	__u8 tos;
	__u8 l4_hdr_len;    /* TCP: data offset * 4; UDP: 8; otherwise 0 */
};

/* Makes the first `want` bytes linear when the packet is that long and they are not yet, so direct access reaches them. */
static __always_inline void pull_headers(struct __sk_buff *skb, const __u32 want)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;

	if (data + want <= data_end || skb->len < want)
		return;
	bpf_skb_pull_data(skb, want);
}

static __always_inline int ipv4_is_multicast_or_broadcast(__be32 addr)
{
	return (addr & bpf_htonl(0xf0000000)) == bpf_htonl(0xe0000000) || addr == bpf_htonl(0xffffffff);
}

static __always_inline int mac_equal(const __u8 *a, const __u8 *b)
{
	return a[0] == b[0] && a[1] == b[1] && a[2] == b[2] && a[3] == b[3] && a[4] == b[4] && a[5] == b[5];
}

static __always_inline void mac_copy(__u8 *dst, const __u8 *src)
{
	dst[0] = src[0];
	dst[1] = src[1];
	dst[2] = src[2];
	dst[3] = src[3];
	dst[4] = src[4];
	dst[5] = src[5];
}

/*
 * Checks the Ethernet frame at data + off carries an IPv4 packet a fast path may take, and fills *f.
 * l3_len is what the frame holds after its Ethernet header; the IPv4 total length must equal it, so a
 * truncated or padded frame never takes a fast path. Returns ELIGIBLE or the STAT_PASS_* reason.
 */
static __always_inline int parse_ipv4_frame(void *data, void *data_end, const __u32 off, __u32 l3_len,
					    struct flow *f)
{
	struct ethhdr *eth = data + off;
	struct iphdr *ip = data + off + sizeof(struct ethhdr);
	void *l4 = data + off + sizeof(struct ethhdr) + sizeof(struct iphdr);

	if ((void *)(eth + 1) > data_end)
		return STAT_PASS_MALFORMED;
	if (eth->h_proto != bpf_htons(ETH_P_IP))
		return STAT_PASS_NOT_IPV4;
	if (eth->h_dest[0] & 1)
		return STAT_PASS_BROADCAST_MULTICAST;
	if ((void *)(ip + 1) > data_end)
		return STAT_PASS_MALFORMED;
	if (ip->version != 4 || ip->ihl < 5)
		return STAT_PASS_MALFORMED;
	if (ip->ihl != 5)
		return STAT_PASS_IP_OPTIONS;
	/* Every fragment, first or not, so all fragments of a datagram take the same path. */
	if (ip->frag_off & bpf_htons(IPV4_MF | IPV4_OFFSET))
		return STAT_PASS_FRAGMENT;
	if (bpf_ntohs(ip->tot_len) != l3_len)
		return STAT_PASS_MALFORMED;
	if (ipv4_is_multicast_or_broadcast(ip->daddr))
		return STAT_PASS_BROADCAST_MULTICAST;
	if (ip->daddr == 0 || ip->saddr == 0 || ipv4_is_multicast_or_broadcast(ip->saddr))
		return STAT_PASS_MALFORMED;

	f->saddr = ip->saddr;
	f->daddr = ip->daddr;
	f->protocol = ip->protocol;
	f->ttl = ip->ttl;
	f->tos = ip->tos;
	f->sport = 0;
	f->dport = 0;
	f->l4_hdr_len = 0;

	if (ip->protocol == IPPROTO_TCP) {
		struct tcphdr *tcp = l4;

		if ((void *)(tcp + 1) > data_end || tcp->doff < 5 || l3_len < sizeof(struct iphdr) + tcp->doff * 4)
			return STAT_PASS_MALFORMED;
		f->sport = tcp->source;
		f->dport = tcp->dest;
		f->l4_hdr_len = tcp->doff * 4;
	} else if (ip->protocol == IPPROTO_UDP) {
		struct udphdr *udp = l4;

		if ((void *)(udp + 1) > data_end || bpf_ntohs(udp->len) != l3_len - sizeof(struct iphdr))
			return STAT_PASS_MALFORMED;
		f->sport = udp->source;
		f->dport = udp->dest;
		f->l4_hdr_len = sizeof(struct udphdr);
	}
	return ELIGIBLE;
}

/* The folded, inverted ones' complement sum of a 20-byte IPv4 header: its checksum when the check field is 0,
 * and 0 when the header's checksum is right. */
static __always_inline __u16 ipv4_header_checksum(const __u16 *words)
{
	__u32 sum = 0;

#pragma unroll
	for (int i = 0; i < 10; i++)
		sum += words[i];
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (__u16)~sum;
}

static __always_inline __u32 vxlan_vni(const struct vxlan_hdr *vxlan)
{
	return ((__u32)vxlan->vni[0] << 16) | ((__u32)vxlan->vni[1] << 8) | vxlan->vni[2];
}

/*
 * Checks the frame at data is VXLAN over IPv4 to `port` with the I flag and `vni`, around an IPv4 packet a
 * fast path may take, and fills *outer (addresses) and *inner. len is skb->len. Returns ELIGIBLE, or:
 * STAT_PASS_NOT_OVERLAY for anything not UDP to our port (ordinary host traffic, ARP, IPv6),
 * STAT_HEADER_INVALID for our port with a bad outer IPv4 checksum, inconsistent lengths, or a VXLAN header
 * the kernel's VXLAN device would drop (flags other than exactly I, non-zero reserved bits) or another VNI,
 * another STAT_PASS_* reason for an outer fragment/options/multicast or an ineligible inner packet.
 */
static __always_inline int parse_vxlan_frame(void *data, void *data_end, __u32 len, __u16 port, __u32 vni,
					     struct flow *outer, struct flow *inner)
{
	struct vxlan_encap *h = data;
	struct udphdr *udp = data + sizeof(struct ethhdr) + sizeof(struct iphdr);
	struct iphdr *ip = data + sizeof(struct ethhdr);

	if ((void *)(ip + 1) > data_end)
		return STAT_PASS_MALFORMED;
	if (h->eth.h_proto != bpf_htons(ETH_P_IP) || ip->protocol != IPPROTO_UDP)
		return STAT_PASS_NOT_OVERLAY;
	if (ip->version != 4 || ip->ihl < 5)
		return STAT_PASS_MALFORMED;
	if (ip->ihl != 5)
		return STAT_PASS_IP_OPTIONS;
	if (ip->frag_off & bpf_htons(IPV4_MF | IPV4_OFFSET))
		return STAT_PASS_FRAGMENT;
	if ((void *)(udp + 1) > data_end)
		return STAT_PASS_MALFORMED;
	if (udp->dest != bpf_htons(port))
		return STAT_PASS_NOT_OVERLAY;

	/* Ours from here on. */
	if ((h->eth.h_dest[0] & 1) || ipv4_is_multicast_or_broadcast(ip->daddr))
		return STAT_PASS_BROADCAST_MULTICAST;
	if ((void *)(h + 1) > data_end)
		return STAT_HEADER_INVALID;
	if (bpf_ntohs(ip->tot_len) != len - ETH_HLEN || bpf_ntohs(udp->len) != len - ETH_HLEN - sizeof(struct iphdr))
		return STAT_HEADER_INVALID;
	if (ipv4_header_checksum((const __u16 *)ip) != 0)
		return STAT_HEADER_INVALID;
	if (h->vxlan.flags != VXLAN_FLAG_VNI || h->vxlan.reserved1[0] || h->vxlan.reserved1[1] ||
	    h->vxlan.reserved1[2] || h->vxlan.reserved2 || vxlan_vni(&h->vxlan) != vni)
		return STAT_HEADER_INVALID;
	outer->saddr = ip->saddr;
	outer->daddr = ip->daddr;
	outer->protocol = IPPROTO_UDP;
	outer->ttl = ip->ttl;
	outer->tos = ip->tos;
	outer->sport = udp->source;
	outer->dport = udp->dest;
	outer->l4_hdr_len = sizeof(struct udphdr);
	return parse_ipv4_frame(data, data_end, VXLAN_INNER_FRAME_OFF, len - VXLAN_INNER_L3_OFF, inner);
}

/* Decrements the TTL and updates the header checksum incrementally (RFC 1624), as IPv4 forwarding does. */
static __always_inline void ipv4_decrement_ttl(struct iphdr *ip)
{
	__u32 sum = ip->check;

	/* The TTL is the high byte of its 16-bit word: the word drops by 0x0100, the checksum grows by it. */
	sum += bpf_htons(0x0100);
	ip->check = (__u16)(sum + (sum >= 0xffff));
	ip->ttl--;
}

/*
 * The outer TOS of a tunnel packet: the configured DSCP, and the inner packet's ECN codepoint except CE,
 * which becomes ECT(0) (RFC 6040 normal mode, what the kernel's tunnels do). The inner header is not touched.
 */
static __always_inline __u8 tunnel_outer_tos(__u8 outer, __u8 inner)
{
	__u8 ecn = inner & IPV4_ECN_MASK;

	if (ecn == IPV4_ECN_CE)
		ecn = IPV4_ECN_ECT0;
	return (outer & ~IPV4_ECN_MASK) | ecn;
}

/* A miss: the overlay carries the packet, with `marks` so the learners downstream learn from it. */
static __always_inline int pass_marked(struct __sk_buff *skb, enum xmasq_stat reason, __u32 marks)
{
	count(reason);
	skb->mark |= marks;
	return TC_ACT_OK;
}

/* Not eligible (or rejected): the overlay carries the packet unchanged and unmarked. */
static __always_inline int pass_unmarked(enum xmasq_stat reason)
{
	count(reason);
	return TC_ACT_OK;
}

#endif
