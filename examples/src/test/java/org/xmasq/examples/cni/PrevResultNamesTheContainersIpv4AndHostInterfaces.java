package org.xmasq.examples.cni;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * From prevResult the plugin takes the IPv4 addresses of the container's interface (IPv6 stays on the slow path,
 * other interfaces' addresses are not this container's) and the host-side interfaces, one of which is its veth.
 */
class PrevResultNamesTheContainersIpv4AndHostInterfaces {
    private static NetConf conf(String prev) {
        return NetConf.parse(Cni.conf("1.0.0", ", \"prevResult\": " + prev));
    }

    @Test
    void theBridgePluginsResultGivesOneIpv4AndTwoHostInterfaces() {
        NetConf c = conf(Cni.BRIDGE_RESULT);
        assertEquals(List.of("10.244.1.7"), c.containerIpv4("eth0"));
        assertEquals(List.of("cni0", "veth1234abcd"), c.hostInterfaceNames());
        assertEquals(List.of(), c.containerIpv4("net1"), "another interface of the container has none");
    }

    @Test
    void addressesOfHostInterfacesAreNotTheContainers() {
        NetConf c = conf("""
                {"cniVersion": "1.0.0",
                 "interfaces": [{"name": "cni0"}, {"name": "eth0", "sandbox": "/run/netns/x"}],
                 "ips": [{"address": "10.244.1.1/24", "interface": 0},
                         {"address": "10.244.1.9/24", "interface": 1}]}""");
        assertEquals(List.of("10.244.1.9"), c.containerIpv4("eth0"));
    }

    @Test
    void withoutInterfaceIndexesEveryIpv4Counts() {
        NetConf c = conf("""
                {"cniVersion": "0.3.1", "ips": [{"version": "4", "address": "10.244.2.5/24"},
                                              {"version": "6", "address": "fd00::5/64"}]}""");
        assertEquals(List.of("10.244.2.5"), c.containerIpv4("eth0"));
        assertEquals(List.of(), c.hostInterfaceNames());
    }

    @Test
    void pinRootAndStateDirHaveDefaultsAndCanBeSet() {
        NetConf d = NetConf.parse(Cni.conf("1.0.0", ""));
        assertEquals(Path.of("/sys/fs/bpf/xmasq"), d.pinRoot());
        assertEquals(Path.of("/run/xmasq-cni"), d.stateDir());
        NetConf s = NetConf.parse(Cni.conf("1.0.0", ", \"pinRoot\": \"/sys/fs/bpf/node-a/\", \"stateDir\": \"/tmp/s\""));
        assertEquals(Path.of("/sys/fs/bpf/node-a"), s.pinRoot());
        assertEquals(Path.of("/tmp/s"), s.stateDir());
    }
}
