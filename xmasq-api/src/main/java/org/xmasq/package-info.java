/**
 * The XMasq entry point: {@link org.xmasq.XMasq#builder()} configures an instance (pin root, VXLAN port, VNI, map
 * sizes, marks, EST, intra-host), {@code open()} loads the datapath or re-adopts the one pinned under the same pin
 * root. The instance attaches the host NIC and container veths transactionally, offers one call per coherence event
 * (container added/removed/IP reused, remote container or host gone, policy changed), typed views of every map
 * ({@link org.xmasq.datapath}) and summed statistics. {@code close()} leaves the datapath running; {@code down()}
 * removes it.
 */
package org.xmasq;
