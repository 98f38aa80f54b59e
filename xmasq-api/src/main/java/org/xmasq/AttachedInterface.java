package org.xmasq;

import org.xmasq.bpf.TcMode;

/**
 * An interface the datapath's programs are attached to.
 *
 * @param name its name when attached
 * @param ifindex its index in the datapath's namespace
 * @param role host NIC or container veth
 * @param mode how the programs hang on it: {@link TcMode#TCX} (pinned links) or {@link TcMode#CLSACT}
 */
public record AttachedInterface(String name, int ifindex, InterfaceRole role, TcMode mode) {
}
