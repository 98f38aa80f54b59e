/**
 * The network benchmark ({@link org.xmasq.examples.bench.NetBench}, launcher {@code bin/xmasq-bench}): host network,
 * plain overlay and overlay + XMasq on {@link org.xmasq.examples.testbed.Testbed}s, interleaved test by test.
 *
 * <p>Measurement notes:
 * <ul>
 *   <li>Throughput is iperf3's receiver-side rate; UDP is sent unthrottled ({@code -b 0}) with 1380-byte datagrams
 *       (no fragments anywhere; fragments always take the slow path), so it measures what the receiver keeps up
 *       with, and the loss is reported next to it.</li>
 *   <li>Request/response is sockperf ping-pong with 64-byte messages; rate and p50/p99 (full round trip) come from
 *       the part after sockperf's own warm-up, which also lets XMasq learn each new flow before it is measured.</li>
 *   <li>CPU per transaction (per MB for streams) is the user+system time of the client (bash's {@code times}
 *       around the tool) and of the server (/proc/PID/stat delta). The benchmark kernel has no IRQ time
 *       accounting, so softirq work done in those processes' context (most veth/bridge/VXLAN processing) is
 *       included. The whole machine's busy time (/proc/stat) is recorded as "sys CPU" but includes other load.</li>
 *   <li>XMasq hits per transaction are the sum of all HIT_* counters of both nodes over the test divided by round
 *       trips: 4 means both directions were fast on both nodes (egress encapsulation + ingress redirect), 2 is
 *       the intra-host maximum (one veth-to-veth redirect each way).</li>
 * </ul>
 */
package org.xmasq.examples.bench;
