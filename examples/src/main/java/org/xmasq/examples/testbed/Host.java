package org.xmasq.examples.testbed;

/**
 * One simulated node: a network namespace holding the underlay NIC, the Flannel-style VXLAN device and the
 * container bridge.
 *
 * @param name short name inside the testbed ("h1")
 * @param netns the node's namespace
 * @param nic the underlay NIC ("eth0", one end of the veth joining the two nodes)
 * @param underlayIp the node's address on the underlay (the VXLAN tunnel endpoint)
 * @param vxlan the VXLAN device ("flannel.1")
 * @param vtepIp the VXLAN device's address: the .0 of the node's container subnet
 * @param vtepMac the VXLAN device's MAC, as the kernel chose it
 * @param bridge the container bridge ("cni0")
 * @param bridgeIp the bridge's address: the .1 of the subnet, every container's default gateway
 * @param subnet the node's container subnet in CIDR form
 */
public record Host(String name, Netns netns, String nic, String underlayIp, String vxlan, String vtepIp,
                   String vtepMac, String bridge, String bridgeIp, String subnet) {
}
