package org.xmasq.bpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.xmasq.bpf.support.FakeObjects;
import org.xmasq.libbpf.TcAttachPoint;
import org.xmasq.libbpf.UnknownInterfaceException;
import org.xmasq.libbpf.fake.FakeLibBpf;

/** Attaching to an interface name that does not exist is UnknownInterfaceException, before any TC call. */
class AnUnknownInterfaceIsNamedInTheError {
    @Test
    void unknownName() {
        FakeLibBpf fake = FakeObjects.fake();
        try (BpfObject o = FakeObjects.load(fake)) {
            UnknownInterfaceException e = assertThrows(UnknownInterfaceException.class,
                    () -> Tc.attach(o.program("count_packets"), "xmt-nope0", TcAttachPoint.INGRESS));
            assertTrue(e.getMessage().contains("xmt-nope0"), e.getMessage());
            assertEquals(0, fake.calls("linkCreate") + fake.calls("tcHookCreate") + fake.calls("tcAttach"));
        }
    }
}
