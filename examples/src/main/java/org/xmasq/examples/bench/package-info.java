/**
 * The network benchmark ({@link org.xmasq.examples.bench.NetBench}, launcher {@code bin/xmasq-bench}): host network,
 * plain overlay and overlay + XMasq on {@link org.xmasq.examples.testbed.Testbed}s, interleaved test by test.
 *
 * <p>Measurement notes:
 * <ul>
 *   <li>Throughput is iperf3's receiver-side rate; UDP is sent unthrottled ({@code -b 0}) with 1380-byte datagrams
 *       (no fragments anywhere; fragments always take the slow path) and 4 MiB socket buffers ({@code -w}, capped
 *       by net.core.rmem_max/wmem_max, printed at the start): with the default ~200 KiB a receiver descheduled for
 *       a millisecond drops at its socket and the rate measures scheduling luck. The loss is reported next to
 *       it. On veth the whole path up to the receiving socket runs on the sender's CPU (softirq after each send),
 *       so UDP throughput is sender-bound: it prices each hop of the path per datagram.</li>
 *   <li>Request/response is sockperf ping-pong with 64-byte messages; rate and p50/p99 (full round trip) come from
 *       the part after sockperf's own warm-up, which also lets XMasq learn each new flow before it is measured.</li>
 *   <li>CPU per transaction (per MB for streams) is the user+system time of the client (bash's {@code times}
 *       around the tool) and of the server (/proc/PID/stat delta). The benchmark kernel has no IRQ time
 *       accounting, so softirq work done in those processes' context (most veth/bridge/VXLAN processing) is
 *       included. The whole machine's busy time (/proc/stat) is recorded as "sys CPU" but includes other load.</li>
 *   <li>Ratios are the median over rounds of each round's ratio (the configurations of a round run back to back,
 *       so load changes of a shared machine hit both terms); the columns host/overlay/xmasq are plain medians.</li>
 *   <li>{@code --xmasq-ingress-gso} measures XMasq with {@code DatapathConfig.ingressGso}: bulk TCP arrives as GSO
 *       packets (veth passes a sender's 64 KiB packets whole), which XMasq by default leaves to the VXLAN device.</li>
 *   <li>XMasq hits per transaction are the sum of all HIT_* counters of both nodes over the test divided by round
 *       trips: 4 means both directions were fast on both nodes (egress encapsulation + ingress redirect), 2 is
 *       the intra-host maximum (one veth-to-veth redirect each way).</li>
 * </ul>
 */
package org.xmasq.examples.bench;
