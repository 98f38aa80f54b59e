// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * The XMasq datapath: one object, so the four programs share their maps.
 *
 *   egress fast path   host-side veth, TC ingress   egress_fast_path.h
 *   ingress learner    host-side veth, TC egress    ingress_learner.h
 *   ingress fast path  host NIC, TC ingress         ingress_fast_path.h
 *   egress learner     host NIC, TC egress          egress_learner.h
 *
 * Maps and their layouts: maps.h (and README.md); counters: stats.h; load-time configuration: config.h.
 */
#include "config.h"
#include "stats.h"
#include "maps.h"
#include "packet.h"
#include "filter.h"
#include "egress_fast_path.h"
#include "ingress_learner.h"
#include "ingress_fast_path.h"
#include "egress_learner.h"

/*
 * Read-only: the number of counters in the stats map. Its type also carries enum xmasq_stat, with every
 * counter's name, into the object's BTF for the SDK and its tests. Never written.
 */
const volatile enum xmasq_stat xmasq_stat_count = STAT_COUNT;

char LICENSE[] SEC("license") = "Dual BSD/GPL";
