package org.xmasq.bpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.xmasq.bpf.support.FakeObjects;
import org.xmasq.bpf.support.TestKey;
import org.xmasq.bpf.support.TestValue;
import org.xmasq.libbpf.IncompatibleMapException;
import org.xmasq.libbpf.fake.FakeLibBpf;

/** Wrong key/value sizes and the wrong map kind are refused when the handle is made, with readable reasons. */
class CodecSizesAreCheckedWhenAHandleIsMade {
    @Test
    void wrongValueSizeNamesCodecAndMap() {
        try (BpfObject o = FakeObjects.load(FakeObjects.fake())) {
            IncompatibleMapException e = assertThrows(IncompatibleMapException.class,
                    () -> o.map("test_hash", TestKey.CODEC, Codecs.bytes(72)));
            assertEquals(List.of("value size: codec u8[72] writes 72 bytes, map test_hash has 32"), e.differences());
        }
    }

    @Test
    void wrongKeyAndValueAreBothListed() {
        try (BpfObject o = FakeObjects.load(FakeObjects.fake())) {
            IncompatibleMapException e = assertThrows(IncompatibleMapException.class,
                    () -> o.map("test_hash", Codecs.u32(), Codecs.u64()));
            assertEquals(List.of("key size: codec u32 writes 4 bytes, map test_hash has 8",
                    "value size: codec u64 writes 8 bytes, map test_hash has 32"), e.differences());
        }
    }

    @Test
    void perCpuMapsNeedPerCpuMapAndOthersNeedMap() {
        try (BpfObject o = FakeObjects.load(FakeObjects.fake())) {
            IncompatibleMapException a = assertThrows(IncompatibleMapException.class,
                    () -> o.map("test_counters", Codecs.u32(), Codecs.u64()));
            assertTrue(a.differences().get(0).contains("perCpuMap()"), a.differences().toString());
            IncompatibleMapException b = assertThrows(IncompatibleMapException.class,
                    () -> o.perCpuMap("test_array", Codecs.u32(), Codecs.u64()));
            assertTrue(b.differences().get(0).contains("open it with map()"), b.differences().toString());
        }
    }

    @Test
    void anAdoptedPinIsCheckedToo() {
        FakeLibBpf fake = FakeObjects.fake();
        try (BpfObject o = FakeObjects.open(fake).pinMap("test_hash", java.nio.file.Path.of("/sys/fs/bpf/t/h")).load()) {
            assertThrows(IncompatibleMapException.class, () -> BpfMap.open(fake,
                    java.nio.file.Path.of("/sys/fs/bpf/t/h"), TestKey.CODEC, TestKey.CODEC));
            try (BpfMap<TestKey, TestValue> m = BpfMap.open(fake, java.nio.file.Path.of("/sys/fs/bpf/t/h"),
                    TestKey.CODEC, TestValue.CODEC)) {
                assertEquals(1024, m.maxEntries());
            }
        }
        assertEquals(0, fake.openFds(), "the refused adoption closed its fd");
    }
}
