/**
 * A two-node container overlay built in network namespaces, programmed like Flannel's VXLAN backend, for tests,
 * demos and benchmarks: {@link org.xmasq.examples.testbed.Testbed} builds it under a unique prefix and removes it,
 * also after a crash ({@code Testbed.cleanup(prefix)}, {@code Testbed.sweepStale()}).
 *
 * <p>Choices, so numbers can be read correctly:
 * <ul>
 *   <li>Addresses: underlay 10.250.0.0/24 (node N = .N, MTU 1500), cluster 10.244.0.0/16, node N's containers in
 *       10.244.N.0/24 (flannel.1 = .0/32, cni0 = .1, containers .2 and .3, MTU 1450). All inside the testbed's
 *       namespaces, so two testbeds never collide.</li>
 *   <li>Host network, intra-host: two processes in one node namespace talking to the node's own underlay address,
 *       i.e. over loopback. That is what two host-network pods on one node get (the kernel routes every local
 *       address through lo, a second veth in the same namespace would be bypassed the same way), so it is the
 *       honest limit; note that lo's 64 KiB MTU favours bulk TCP.</li>
 *   <li>Netfilter: when iptables exists, Flannel's FORWARD accept and POSTROUTING masquerade rules are installed,
 *       which enables conntrack in every node namespace (for host-network traffic too), as on a real node.</li>
 * </ul>
 */
package org.xmasq.examples.testbed;
