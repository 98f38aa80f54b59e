package org.xmasq.datapath;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.xmasq.datapath.Topology.C1;
import static org.xmasq.datapath.Topology.C1_MAC;
import static org.xmasq.datapath.Topology.GATEWAY_MAC;
import static org.xmasq.datapath.Topology.LOCAL_HOST;
import static org.xmasq.datapath.Topology.NIC_MAC;
import static org.xmasq.datapath.Topology.REMOTE_HOST;
import static org.xmasq.datapath.Topology.REMOTE_NIC_MAC;
import static org.xmasq.datapath.Topology.patched;

import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xmasq.net.Ipv4Address;
import org.xmasq.net.MacAddress;
import org.xmasq.testing.Frames;

/**
 * Invariant 3: the ingress fast path serves only VXLAN to our port and VNI, addressed to this NIC's MAC and IPv4,
 * from a host present in the header cache (level 2), to a registered endpoint whose MACs are learned. Each test
 * breaks exactly one of those conditions with everything else cached. Packets that are not a valid overlay packet
 * for us pass unmarked; valid ones that miss a cache pass marked MISS|REMOTE for the ingress learner.
 */
class TheIngressFastPathServesOnlyOurVxlanFromKnownHostsToLearnedEndpoints extends KernelTest {
    private static final int MISS_REMOTE = DatapathConfig.DEFAULTS.markMiss() | DatapathConfig.DEFAULTS.markRemote();

    @BeforeEach
    void cacheEverything() {
        dp.cacheInterHostFlow(Topology.C1_R);
    }

    private static byte[] arriving(MacAddress dstMac, Ipv4Address src, Ipv4Address dst, int port, int vni) {
        return Frames.vxlanFrame(dstMac.toString(), REMOTE_NIC_MAC.toString(), src.toString(), dst.toString(),
                Topology.REMOTE_SPORT, port, vni, Topology.rToC1Inner(63));
    }

    private static void assertPassed(Verdict v, byte[] sent, Stat reason, int mark) {
        assertEquals(Verdict.TC_ACT_OK, v.retval(), v.toString());
        assertArrayEquals(sent, v.frame(), "unchanged");
        assertEquals(mark, v.mark(), "mark");
        assertEquals(Map.of(reason, 1L), dp.counts());
    }

    private static void assertNotOurs(byte[] frame, Stat reason) {
        assertPassed(dp.ingress(frame), frame, reason, 0);
    }

    private static void assertMiss(byte[] frame, Stat reason) {
        assertPassed(dp.ingress(frame), frame, reason, MISS_REMOTE);
    }

    @Test
    void withEverythingInPlaceItIsServed() {
        Verdict v = dp.ingress(Topology.rToC1OnTheWire());
        assertEquals(Verdict.TC_ACT_REDIRECT, v.retval(), v.toString());
        assertEquals(Map.of(Stat.HIT_INGRESS, 1L), dp.counts());
    }

    @Test
    void anotherUdpPortIsHostTraffic() {
        assertNotOurs(arriving(NIC_MAC, REMOTE_HOST, LOCAL_HOST, 4789, Topology.VNI), Stat.PASS_NOT_OVERLAY);
    }

    @Test
    void anotherVniIsRefused() {
        assertNotOurs(arriving(NIC_MAC, REMOTE_HOST, LOCAL_HOST, Topology.VXLAN_PORT, 2), Stat.HEADER_INVALID);
    }

    @Test
    void anotherDestinationMacIsRefused() {
        assertNotOurs(arriving(MacAddress.parse("02:00:00:00:cc:01"), REMOTE_HOST, LOCAL_HOST, Topology.VXLAN_PORT,
                Topology.VNI), Stat.HEADER_INVALID);
    }

    @Test
    void anotherDestinationAddressIsRefused() {
        assertNotOurs(arriving(NIC_MAC, REMOTE_HOST, Ipv4Address.parse("192.168.50.9"), Topology.VXLAN_PORT,
                Topology.VNI), Stat.HEADER_INVALID);
    }

    @Test
    void vxlanFlagsOtherThanExactlyIAreRefused() {
        assertNotOurs(patched(Topology.rToC1OnTheWire(), TunnelHeader.VXLAN, 0x0c), Stat.HEADER_INVALID);
        dp.reset();
        dp.cacheInterHostFlow(Topology.C1_R);
        assertNotOurs(patched(Topology.rToC1OnTheWire(), TunnelHeader.VXLAN, 0x00), Stat.HEADER_INVALID);
    }

    @Test
    void nonZeroReservedVxlanBitsAreRefused() {
        assertNotOurs(patched(Topology.rToC1OnTheWire(), TunnelHeader.VXLAN + 7, 0x01), Stat.HEADER_INVALID);
        dp.reset();
        dp.cacheInterHostFlow(Topology.C1_R);
        assertNotOurs(patched(Topology.rToC1OnTheWire(), TunnelHeader.VXLAN + 1, 0x80), Stat.HEADER_INVALID);
    }

    @Test
    void aBadOuterChecksumIsRefused() {
        byte[] good = Topology.rToC1OnTheWire();
        assertNotOurs(patched(good, TunnelHeader.OUTER_CHECKSUM, good[TunnelHeader.OUTER_CHECKSUM] ^ 0x01,
                good[TunnelHeader.OUTER_CHECKSUM + 1]), Stat.HEADER_INVALID);
    }

    @Test
    void aHostMissingFromTheHeaderCacheIsAMiss() {
        dp.egressHeaders.delete(REMOTE_HOST);
        assertMiss(Topology.rToC1OnTheWire(), Stat.MISS_UNKNOWN_REMOTE_HOST);
    }

    @Test
    void aHostOtherThanTheCachedOnesIsAMiss() {
        assertMiss(arriving(NIC_MAC, Ipv4Address.parse("192.168.50.3"), LOCAL_HOST, Topology.VXLAN_PORT,
                Topology.VNI), Stat.MISS_UNKNOWN_REMOTE_HOST);
    }

    @Test
    void anUnregisteredDestinationIsAMiss() {
        dp.endpoints.delete(C1);
        assertMiss(Topology.rToC1OnTheWire(), Stat.MISS_NO_ENDPOINT);
    }

    @Test
    void anEndpointWithoutLearnedMacsIsAMiss() {
        for (int flags : new int[] {0, Endpoint.CONTAINER_MAC_KNOWN, Endpoint.GATEWAY_MAC_KNOWN}) {
            dp.reset();
            dp.cacheInterHostFlow(Topology.C1_R);
            dp.endpoints.put(C1, new Endpoint(dp.veth1, C1_MAC, GATEWAY_MAC, flags));
            assertMiss(Topology.rToC1OnTheWire(), Stat.MISS_MACS_NOT_LEARNED);
        }
    }

    @Test
    void aNicMissingFromHostDevicesServesNothing() {
        dp.hostDevices.delete(dp.nic);
        assertNotOurs(Topology.rToC1OnTheWire(), Stat.PASS_NO_HOST_DEVICE);
    }

    @Test
    void anotherInterfaceServesNothing() {
        byte[] frame = Topology.rToC1OnTheWire();
        assertPassed(dp.run(DatapathObject.INGRESS_FAST_PATH, frame, new Skb(0, dp.vethOther, 0)), frame,
                Stat.PASS_NO_HOST_DEVICE, 0);
    }

    @Test
    void aNicsOwnPortAndVniReplaceTheDefaults() {
        dp.hostDevices.put(dp.nic, new HostDevice(LOCAL_HOST, NIC_MAC, 4789, 7));
        assertEquals(Verdict.TC_ACT_REDIRECT,
                dp.ingress(arriving(NIC_MAC, REMOTE_HOST, LOCAL_HOST, 4789, 7)).retval());
        dp.reset();
        dp.cacheInterHostFlow(Topology.C1_R);
        dp.hostDevices.put(dp.nic, new HostDevice(LOCAL_HOST, NIC_MAC, 4789, 7));
        assertNotOurs(Topology.rToC1OnTheWire(), Stat.PASS_NOT_OVERLAY);
    }

    @Test
    void aGroAggregateIsLeftToTheKernelsVxlanDevice() {
        byte[] frame = Topology.rToC1OnTheWire();
        assertPassed(dp.run(DatapathObject.INGRESS_FAST_PATH, frame, new Skb(0, dp.nic, 1400)), frame,
                Stat.PASS_INGRESS_GSO, 0);
    }
}
