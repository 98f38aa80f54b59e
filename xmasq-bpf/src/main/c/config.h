/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * Load-time configuration. These are `const volatile` globals in .rodata: the SDK writes them after opening
 * the object and before loading it; the verifier then sees them as constants and prunes dead branches.
 * Every value is a __u32 so the Java side can write each one as a plain int.
 */
#ifndef XMASQ_CONFIG_H
#define XMASQ_CONFIG_H

#include <linux/types.h>

/*
 * skb->mark bits. The defaults stay clear of kube-proxy's 0x4000 (masquerade) and 0x8000 (drop).
 * A container cannot forge them: skb->mark is scrubbed when a packet crosses network namespaces.
 */
const volatile __u32 cfg_mark_miss = 0x01000000;   /* a fast path missed: the learners may learn from this packet */
const volatile __u32 cfg_mark_remote = 0x02000000; /* set with mark_miss by the ingress fast path: came from another host */
const volatile __u32 cfg_mark_est = 0x04000000;    /* set by the SDK's optional netfilter rule: conntrack established */
const volatile __u32 cfg_require_est = 0;          /* 1: the learners also require mark_est */

/* The overlay's VXLAN parameters, used where host_devices leaves them 0. Host byte order. */
const volatile __u32 cfg_vxlan_port = 8472;
const volatile __u32 cfg_vni = 1;

/* 1: container-to-container traffic on this host goes veth to veth with bpf_redirect_peer. */
const volatile __u32 cfg_intra_host = 1;

/*
 * Outer UDP source port range, given as the same two numbers as the kernel's (ip_local_port_range, or the
 * vxlan device's "srcport MIN MAX"). Ports are computed exactly like the kernel's udp_flow_src_port(), so a
 * flow keeps the outer source port it had on the slow path and does not move to another ECMP/RSS path when
 * it switches to the fast path. Like the kernel, the result lies in [min, max).
 */
const volatile __u32 cfg_sport_min = 32768;
const volatile __u32 cfg_sport_max = 60999;

/*
 * 1: the ingress fast path also decapsulates GSO packets (GRO aggregates, or a sender's GSO packets passed whole
 * by veth). This kernel's bpf_skb_adjust_room cannot clear SKB_GSO_UDP_TUNNEL and skb->encapsulation on decap
 * (BPF_F_ADJ_ROOM_DECAP_L4_UDP is newer than 6.18), so the delivered packet keeps them: harmless when the
 * container consumes the packet, wrong if the container forwards it to a NIC with UDP tunnel segmentation
 * offload. 0 (default): GSO packets are left to the kernel's VXLAN device, which clears that state.
 */
const volatile __u32 cfg_ingress_gso = 0;

#endif
