/**
 * The typed view of the datapath object (xmasq-bpf's {@code org/xmasq/bpf/xmasq.bpf.o}): one record and one codec
 * per C struct of its maps, the counters and the load-time configuration. The domain layer builds on these.
 *
 * <ul>
 *   <li>{@link org.xmasq.datapath.DatapathObject} — program and map names, key codecs, and
 *       {@link org.xmasq.datapath.DatapathObject#open} returning a spec with the configuration in .rodata.</li>
 *   <li>{@link org.xmasq.datapath.DatapathConfig} — marks, require-established, VXLAN port and VNI, intra-host
 *       redirect, outer source port range ({@code .rodata}, 40 bytes).</li>
 *   <li>Map values and keys: {@link org.xmasq.datapath.Endpoint} ({@code endpoints}),
 *       {@link org.xmasq.datapath.EgressHost} ({@code egress_hosts}, level 1),
 *       {@link org.xmasq.datapath.EgressHeader} with its {@link org.xmasq.datapath.TunnelHeader}
 *       ({@code egress_headers}, level 2), {@link org.xmasq.datapath.FlowKey} and
 *       {@link org.xmasq.datapath.FilterEntry} ({@code filter_cache}), {@link org.xmasq.datapath.HostDevice}
 *       ({@code host_devices}); {@link org.xmasq.datapath.Stat} indexes {@code stats}.</li>
 * </ul>
 *
 * Addresses, MACs and flow-key ports are encoded in network byte order, every other integer in host order, padding
 * as zeros, exactly as the C structs in maps.h; a kernel test compares every codec with the object's BTF.
 */
package org.xmasq.datapath;
