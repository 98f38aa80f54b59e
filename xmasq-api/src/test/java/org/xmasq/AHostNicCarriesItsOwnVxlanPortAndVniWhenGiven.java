package org.xmasq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xmasq.datapath.HostDevice;
import org.xmasq.support.FakeHost;

/**
 * host_devices holds a per-NIC VXLAN port and VNI that the fast paths prefer to the instance's: attachHost sets them
 * (0 = the instance's), and attaching again with other values refreshes them.
 */
class AHostNicCarriesItsOwnVxlanPortAndVniWhenGiven {
    final FakeHost host = new FakeHost();
    final XMasq x = host.builder().open();

    @AfterEach
    void down() {
        x.down();
    }

    @Test
    void theDefaultIsTheInstancesPortAndVni() {
        x.attachHost("eth0");
        assertEquals(HostDevice.of(FakeHost.NIC_IP, FakeHost.NIC_MAC), x.hostDevices().lookup(FakeHost.ETH0)
                .orElseThrow());
    }

    @Test
    void aNicOfAnotherOverlayGetsItsOwnAndARefreshChangesThem() {
        x.attachHost("eth0", 4789, 7);
        assertEquals(new HostDevice(FakeHost.NIC_IP, FakeHost.NIC_MAC, 4789, 7),
                x.hostDevices().lookup(FakeHost.ETH0).orElseThrow());

        x.attachHost("eth0", 0, 9);
        assertEquals(new HostDevice(FakeHost.NIC_IP, FakeHost.NIC_MAC, 0, 9),
                x.hostDevices().lookup(FakeHost.ETH0).orElseThrow());
        assertEquals(2, host.attachmentsOn(FakeHost.ETH0), "a refresh attaches nothing more");
    }

    @Test
    void anImpossiblePortOrVniIsRefusedBeforeAnythingIsAttached() {
        assertThrows(IllegalArgumentException.class, () -> x.attachHost("eth0", 65536, 0));
        assertThrows(IllegalArgumentException.class, () -> x.attachHost("eth0", 0, 1 << 24));
        assertEquals(0, host.attachmentsOn(FakeHost.ETH0));
        assertEquals(0, x.hostDevices().size());
    }
}
