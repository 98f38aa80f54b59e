package org.xmasq.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.xmasq.net.Ipv4Address;
import org.xmasq.net.MacAddress;

class IpRoute2OutputIsReadAsInterfaceInfo {
    static final String VETH = "[{\"ifindex\":7,\"link_index\":6,\"ifname\":\"veth1\",\"flags\":[\"BROADCAST\",\"UP\"],"
            + "\"mtu\":1500,\"link_type\":\"ether\",\"address\":\"2a:11:0c:3d:4e:5f\",\"linkinfo\":{\"info_kind\":"
            + "\"veth\"},\"addr_info\":[{\"family\":\"inet6\",\"local\":\"fe80::1\",\"prefixlen\":64}]}]";
    static final String NIC = "[{\"ifindex\":2,\"ifname\":\"eth0\",\"address\":\"02:00:00:00:01:01\",\"weird\":"
            + "[true,false,null,-1.5e3,\"a\\\"b\\u0041\"],\"addr_info\":[{\"family\":\"inet\",\"local\":\"10.1.0.1\"},"
            + "{\"family\":\"inet\",\"local\":\"10.1.0.9\"}]}]";

    @Test
    void aVethHasItsKindMacAndNoIpv4() {
        InterfaceInfo i = IpRoute2Interfaces.parse(VETH).orElseThrow();
        assertEquals(new InterfaceInfo("veth1", 7, "veth", MacAddress.parse("2a:11:0c:3d:4e:5f"), List.of()), i);
        assertTrue(i.isVeth());
        assertTrue(i.primaryIpv4().isEmpty());
    }

    @Test
    void aNicHasItsAddressesPrimaryFirst() {
        InterfaceInfo i = IpRoute2Interfaces.parse(NIC).orElseThrow();
        assertEquals("", i.kind());
        assertEquals(List.of(Ipv4Address.parse("10.1.0.1"), Ipv4Address.parse("10.1.0.9")), i.ipv4());
    }

    @Test
    void aMissingDeviceIsEmpty() {
        IpRoute2Interfaces hi = new IpRoute2Interfaces(c -> new CommandRunner.Result(1, "Device \"x\" does not exist."));
        assertTrue(hi.find("x").isEmpty());
        assertTrue(IpRoute2Interfaces.parse("[]").isEmpty());
        assertTrue(hi.find("../etc").isEmpty(), "names with a slash never reach the command");
    }
}
