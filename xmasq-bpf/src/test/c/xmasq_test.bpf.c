// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * Test object for the native and generic BPF layers: one map of each kind the SDK uses, a .rodata config,
 * and TC programs with simple, checkable effects. Not part of the datapath.
 *
 * count_packets (tc): counts packets/bytes per CPU in test_counters[0..1], records the last skb->len and
 *   skb->mark in test_array[0..1], sets skb->mark = cfg_mark when cfg_mark != 0. Verdict TC_ACT_OK.
 * drop_all (tc): TC_ACT_SHOT.
 */
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>

struct test_key {
	__u32 addr;   /* network byte order */
	__u16 port;   /* network byte order */
	__u8 proto;
	__u8 pad;
};

struct test_value {
	__u64 packets;
	__u64 bytes;
	__u32 ifindex;
	__u8 mac[6];
	__u8 pad[2];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, struct test_key);
	__type(value, struct test_value);
} test_hash SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 256);
	__type(key, __u32);
	__type(value, __u64);
} test_lru SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} test_counters SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} test_array SEC(".maps");

/* Set before load through .rodata; 0 leaves skb->mark alone. */
const volatile __u32 cfg_mark = 0;

static __always_inline void add(void *map, __u32 idx, __u64 n)
{
	__u64 *v = bpf_map_lookup_elem(map, &idx);

	if (v)
		*v += n;
}

static __always_inline void set(void *map, __u32 idx, __u64 n)
{
	__u64 *v = bpf_map_lookup_elem(map, &idx);

	if (v)
		*v = n;
}

SEC("tc")
int count_packets(struct __sk_buff *skb)
{
	add(&test_counters, 0, 1);
	add(&test_counters, 1, skb->len);
	set(&test_array, 0, skb->len);
	set(&test_array, 1, skb->mark);
	if (cfg_mark)
		skb->mark = cfg_mark;
	return TC_ACT_OK;
}

SEC("tc")
int drop_all(struct __sk_buff *skb)
{
	return TC_ACT_SHOT;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
