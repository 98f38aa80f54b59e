package org.xmasq.libbpf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.xmasq.libbpf.support.OpenObject;
import org.xmasq.libbpf.support.Packets;
import org.xmasq.libbpf.support.TestObjects;

/**
 * BPF_PROG_TEST_RUN gives the program's verdict, the packet and the context it left, and the program's map effects
 * are real: count_packets counts and copies cfg_mark into skb->mark, drop_all says TC_ACT_SHOT.
 */
class ProgTestRunReportsVerdictCountersAndContext {
    private static final int TC_ACT_OK = 0;
    private static final int TC_ACT_SHOT = 2;
    private final LibBpf lib = LibBpfs.get();

    @Test
    void countPacketsPassesCountsAndLeavesThePacketAlone() {
        byte[] frame = Packets.udpFrame(64);
        try (OpenObject o = OpenObject.loadTest(lib)) {
            long before = o.perCpuSum("test_counters", 0);
            TestRunResult r = lib.progTestRun(o.progFd("count_packets"),
                    new TestRunRequest(frame, frame.length + 64, null, 0, 5));
            assertEquals(TC_ACT_OK, r.retval());
            assertArrayEquals(frame, r.dataOut(), "the program does not touch the packet");
            assertEquals(before + 5, o.perCpuSum("test_counters", 0), "one count per repetition");
            assertEquals(5L * frame.length, o.perCpuSum("test_counters", 1), "bytes = 5 * skb->len");
            assertEquals(frame.length, o.arrayValue("test_array", 0), "last skb->len");
            assertTrue(r.durationNs() >= 0);
        }
    }

    @Test
    void theContextMarkGoesInAndCfgMarkComesOut() {
        try (OpenObject o = OpenObject.openTest(lib)) {
            ByteBuffer cfg = TestObjects.buffer(4).putInt(0, 0x77);
            assertEquals(0, lib.mapSetInitialValue(o.rodata(), lib.address(cfg), 4));
            o.load();
            TestRunResult r = lib.progTestRun(o.progFd("count_packets"), new TestRunRequest(Packets.udpFrame(60),
                    128, Packets.skBuffWithMark(0x11), Packets.SK_BUFF_SIZE, 1));
            assertEquals(TC_ACT_OK, r.retval());
            assertEquals(Packets.SK_BUFF_SIZE, r.ctxOut().length);
            assertEquals(0x77, Packets.markOf(r.ctxOut()), "cfg_mark was written to skb->mark");
            assertEquals(0x11, o.arrayValue("test_array", 1), "the program saw the mark we passed in");
        }
    }

    @Test
    void withoutCfgMarkTheMarkPassesThroughUnchanged() {
        try (OpenObject o = OpenObject.loadTest(lib)) {
            TestRunResult r = lib.progTestRun(o.progFd("count_packets"), new TestRunRequest(Packets.udpFrame(60),
                    128, Packets.skBuffWithMark(0x2222), Packets.SK_BUFF_SIZE, 1));
            assertEquals(0x2222, Packets.markOf(r.ctxOut()));
        }
    }

    @Test
    void dropAllSaysShot() {
        try (OpenObject o = OpenObject.loadTest(lib)) {
            TestRunResult r = lib.progTestRun(o.progFd("drop_all"), TestRunRequest.of(Packets.udpFrame(80)));
            assertEquals(TC_ACT_SHOT, r.retval());
            assertEquals(80, r.dataOut().length);
            assertEquals(0, r.ctxOut().length, "no context asked for");
        }
    }

    @Test
    void aFrameShorterThanEthernetIsRejectedByTheKernel() {
        try (OpenObject o = OpenObject.loadTest(lib)) {
            BpfException e = assertThrows(BpfException.class,
                    () -> lib.progTestRun(o.progFd("drop_all"), TestRunRequest.of(new byte[10])));
            assertEquals(Errno.EINVAL, e.errno());
        }
    }
}
