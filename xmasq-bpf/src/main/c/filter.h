/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * The filter cache's two operations: the fast paths check that a flow has both bits, the learners set one
 * bit at a time. A flow the slow path would drop is never delivered, so it never gets its second bit.
 */
#ifndef XMASQ_FILTER_H
#define XMASQ_FILTER_H

#include "maps.h"
#include "packet.h"

/* The flow as the local container sees it; `local_is_source` says which end of the packet is local. */
static __always_inline void flow_key_of(struct xmasq_flow_key *key, const struct flow *f, int local_is_source)
{
	__builtin_memset(key, 0, sizeof(*key));
	if (local_is_source) {
		key->local_addr = f->saddr;
		key->remote_addr = f->daddr;
		key->local_port = f->sport;
		key->remote_port = f->dport;
	} else {
		key->local_addr = f->daddr;
		key->remote_addr = f->saddr;
		key->local_port = f->dport;
		key->remote_port = f->sport;
	}
	key->protocol = f->protocol;
}

/* ELIGIBLE when the flow has both bits, else the miss reason. */
static __always_inline int filter_check(const struct xmasq_flow_key *key)
{
	struct xmasq_filter_entry *entry = bpf_map_lookup_elem(&filter_cache, key);

	if (!entry)
		return STAT_MISS_NO_FILTER_ENTRY;
	if ((entry->seen & FILTER_SEEN_BOTH) != FILTER_SEEN_BOTH)
		return STAT_MISS_HALF_FILTER;
	return ELIGIBLE;
}

/*
 * Adds `bit` to the flow's entry, inserting or refreshing it (BPF_ANY). Two learners racing on one key can
 * lose a bit; the flow then misses once more and relearns it, which is safe.
 */
static __always_inline void filter_learn(const struct xmasq_flow_key *key, __u32 bit, enum xmasq_stat learned)
{
	struct xmasq_filter_entry entry = { .seen = bit };
	struct xmasq_filter_entry *old = bpf_map_lookup_elem(&filter_cache, key);

	if (old)
		entry.seen |= old->seen & FILTER_SEEN_BOTH;
	if (bpf_map_update_elem(&filter_cache, key, &entry, BPF_ANY))
		count(STAT_LEARN_FAILED);
	else
		count(learned);
}

#endif
