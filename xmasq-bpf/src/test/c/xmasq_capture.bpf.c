// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * Test object: records the frames a device sees, so a test can compare a real slow-path delivery with a real
 * fast-path delivery byte for byte. Not part of the datapath.
 *
 * capture_frames (tc): copies the first CAPTURE_LEN bytes of each packet and its length into captures[n], where n
 *   counts up in capture_count[0]; packets beyond CAPTURE_SLOTS are not recorded. Verdict TC_ACT_OK.
 */
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>

#define CAPTURE_LEN 256
#define CAPTURE_SLOTS 64

struct capture {
	__u32 len;                /* skb->len */
	__u32 pad;
	__u8 bytes[CAPTURE_LEN];  /* the first min(len, CAPTURE_LEN) bytes */
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, CAPTURE_SLOTS);
	__type(key, __u32);
	__type(value, struct capture);
} captures SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} capture_count SEC(".maps");

SEC("tc")
int capture_frames(struct __sk_buff *skb)
{
	__u32 zero = 0;
	__u32 *count = bpf_map_lookup_elem(&capture_count, &zero);
	struct capture *c;
	__u32 slot, len;

	if (!count)
		return TC_ACT_OK;
	/* Not atomic (clang 14 targets BPF v1): the tests send one packet at a time. */
	slot = *count;
	*count = slot + 1;
	c = bpf_map_lookup_elem(&captures, &slot);
	if (!c)
		return TC_ACT_OK;
	c->len = skb->len;
	len = skb->len;
	if (len > CAPTURE_LEN)
		len = CAPTURE_LEN;
	if (len > 0)
		bpf_skb_load_bytes(skb, 0, c->bytes, len);
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
