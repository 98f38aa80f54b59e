package org.xmasq;

import org.xmasq.datapath.MapSizes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xmasq.bpf.BpfMap;
import org.xmasq.datapath.EgressHost;
import org.xmasq.net.Ipv4Address;
import org.xmasq.support.FakeHost;

class AnIncompatiblePinnedInstanceIsRefusedOrReplaced {
    static final Ipv4Address C1 = Ipv4Address.parse("10.244.1.2");
    static final Ipv4Address REMOTE = Ipv4Address.parse("10.244.2.2");

    final FakeHost host = new FakeHost();
    XMasq x;

    @BeforeEach
    void pinnedInstance() {
        XMasq old = host.builder().open();
        old.attachContainer("veth1", C1);
        old.egressHosts().put(REMOTE, new EgressHost(Ipv4Address.parse("10.1.0.2")));
        old.close();
    }

    @AfterEach
    void down() {
        if (x != null) {
            x.down();
        } else {
            host.builder().replaceIncompatible(true).open().down();
        }
    }

    @Test
    void anotherConfigurationIsRefusedAndTheMessageShowsTheDifference() {
        IncompatibleInstanceException e = assertThrows(IncompatibleInstanceException.class,
                () -> host.builder().vxlanPort(4789).requireEst(true).open());
        assertTrue(e.differences().contains("config vxlanPort: pinned 8472, wanted 4789"), e.differences()::toString);
        assertTrue(e.differences().contains("config requireEst: pinned false, wanted true"), e.differences()::toString);
        assertTrue(e.getMessage().contains("replaceIncompatible"), e.getMessage());
        assertEquals(2, host.attachmentsOn(FakeHost.VETH1), "refusing touches nothing");
    }

    @Test
    void otherMapSizesAreRefused() {
        IncompatibleInstanceException e = assertThrows(IncompatibleInstanceException.class,
                () -> host.builder().mapSizes(MapSizes.DEFAULTS.withFilterCache(4096)).open());
        assertEquals(List.of("map size filterCache: pinned 65536, wanted 4096"), e.differences());
    }

    @Test
    void anotherLayoutVersionIsRefused() {
        try (BpfMap<Integer, byte[]> meta = BpfMap.open(host.lib, FakeHost.PIN_ROOT.resolve("meta"),
                InstanceRecord.KEY, InstanceRecord.VALUE)) {
            byte[] v = meta.lookup(0).orElseThrow();
            v[4] = 99;
            meta.put(0, v);
        }
        IncompatibleInstanceException e = assertThrows(IncompatibleInstanceException.class,
                () -> host.builder().open());
        assertEquals(List.of("pin layout version: pinned 99, this SDK " + InstanceRecord.FORMAT), e.differences());
    }

    @Test
    void pinsWithoutAnInstanceRecordAreRefused() {
        assertTrue(host.lib.unlink(FakeHost.PIN_ROOT + "/meta"));
        IncompatibleInstanceException e = assertThrows(IncompatibleInstanceException.class,
                () -> host.builder().open());
        assertTrue(e.differences().get(0).contains("without an instance record"), e.differences()::toString);
    }

    @Test
    void theExplicitOptionReplacesItFromScratch() {
        x = host.builder().vxlanPort(4789).replaceIncompatible(true).open();
        assertFalse(x.readopted());
        assertEquals(4789, x.config().vxlanPort());
        assertTrue(x.egressHosts().isEmpty());
        assertTrue(x.endpoints().isEmpty());
        assertEquals(0, host.attachmentsOn(FakeHost.VETH1), "the old instance's programs were detached");
    }
}
