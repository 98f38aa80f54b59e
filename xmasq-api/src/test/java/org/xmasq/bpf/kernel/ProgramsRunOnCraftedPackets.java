package org.xmasq.bpf.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;
import org.xmasq.bpf.BpfObject;
import org.xmasq.bpf.BpfObjectSpec;
import org.xmasq.bpf.BpfProgram;
import org.xmasq.bpf.Codecs;
import org.xmasq.bpf.PerCpuMap;
import org.xmasq.libbpf.ProgInfo;
import org.xmasq.libbpf.TestRunRequest;
import org.xmasq.libbpf.TestRunResult;
import org.xmasq.libbpf.support.Packets;

/** testRun runs the real programs: count_packets counts and passes, drop_all drops; .rodata set before load is seen. */
class ProgramsRunOnCraftedPackets {
    @Test
    void countAndDrop() {
        try (BpfObject o = KernelObjects.openTest().load()) {
            BpfProgram count = o.program("count_packets");
            assertEquals(BpfProgram.TYPE_SCHED_CLS, count.type());
            assertEquals("tc", count.section());
            ProgInfo info = count.info();
            assertTrue(info.id() > 0);
            byte[] frame = Packets.udpFrame(100);
            TestRunResult r = count.testRun(new TestRunRequest(frame, 256, null, 0, 3));
            assertEquals(KernelObjects.TC_ACT_OK, r.retval());
            PerCpuMap<Integer, Long> c = o.perCpuMap("test_counters", Codecs.u32(), Codecs.u64());
            assertEquals(3L, c.lookupCombined(0, Long::sum).orElseThrow());
            assertEquals(300L, c.lookupCombined(1, Long::sum).orElseThrow());
            assertEquals(KernelObjects.TC_ACT_SHOT, o.program("drop_all").testRun(TestRunRequest.of(frame)).retval());
        }
    }

    @Test
    void rodataSetBeforeLoadReachesTheProgram() {
        BpfObjectSpec spec = KernelObjects.openTest();
        assertEquals(4, spec.rodataSize());
        spec.setRodata(ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(0, 0x6d61726b).array());
        try (BpfObject o = spec.load()) {
            byte[] ctx = Packets.skBuffWithMark(0);
            TestRunResult r = o.program("count_packets").testRun(new TestRunRequest(Packets.udpFrame(64), 128, ctx,
                    Packets.SK_BUFF_SIZE, 1));
            int mark = ByteBuffer.wrap(r.ctxOut()).order(ByteOrder.nativeOrder()).getInt(8);
            assertEquals(0x6d61726b, mark, "cfg_mark was written to skb->mark");
        }
    }
}
