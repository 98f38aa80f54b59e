package org.xmasq.examples.testbed;

/**
 * One simulated container: a namespace with one veth ("eth0") whose other end is on its host's bridge.
 *
 * @param name short name inside the testbed ("h1c1")
 * @param netns the container's namespace
 * @param host the node it runs on
 * @param ip its overlay address
 * @param mac the MAC of its eth0
 * @param hostVeth the host-side end of its veth, in the host's namespace (where XMasq attaches)
 */
public record Container(String name, Netns netns, Host host, String ip, String mac, String hostVeth) {
}
