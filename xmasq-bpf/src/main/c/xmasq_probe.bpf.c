// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * Feature probes, run once by the SDK (KernelFeatures) through BPF_PROG_TEST_RUN; never attached.
 *
 * probe_redirect_peer (tc): loads only where the verifier knows bpf_redirect_peer. Verdict TC_ACT_OK.
 * probe_adjust_room_encap (tc): grows the test frame by a VXLAN header with the encapsulation flags the egress fast
 *   path uses and returns the helper's result (0 = supported, negative errno otherwise).
 */
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>

SEC("tc")
int probe_redirect_peer(struct __sk_buff *skb)
{
	/* Never taken in a test run (mark is 0), but the call must pass the verifier. */
	if (skb->mark == 0xfffffffe)
		return bpf_redirect_peer(skb->ifindex, 0);
	return TC_ACT_OK;
}

SEC("tc")
int probe_adjust_room_encap(struct __sk_buff *skb)
{
	__u64 flags = BPF_F_ADJ_ROOM_FIXED_GSO | BPF_F_ADJ_ROOM_ENCAP_L3_IPV4 | BPF_F_ADJ_ROOM_ENCAP_L4_UDP |
		      BPF_F_ADJ_ROOM_ENCAP_L2(14) | BPF_F_ADJ_ROOM_ENCAP_L2_ETH;

	return bpf_skb_adjust_room(skb, 50, BPF_ADJ_ROOM_MAC, flags);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
