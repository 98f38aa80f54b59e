package org.xmasq.bpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xmasq.bpf.support.FakeObjects;
import org.xmasq.libbpf.IncompatibleMapException;
import org.xmasq.libbpf.fake.FakeLibBpf;

/**
 * A pinned map whose shape differs from the object's is refused before load with one line per difference, and the
 * spec stays usable; replaceIncompatiblePins() unpins it and loads a fresh map instead.
 */
class AnIncompatiblePinIsRefusedWithAReadableDiff {
    private static final Path DIR = Path.of("/sys/fs/bpf/xmt-unit");

    @Test
    void maxEntriesChanged() {
        FakeLibBpf fake = FakeObjects.fake();
        try (BpfObject first = FakeObjects.open(fake).pinMapsIn(DIR).load()) {
            first.map("test_lru", Codecs.u32(), Codecs.u64()).put(1, 1L);
        }
        assertTrue(fake.isPinned(DIR.resolve("test_hash").toString()));
        assertTrue(!fake.isPinned(DIR.resolve("xmasq_te.rodata").toString()), "internal maps are not pinned");

        BpfObjectSpec spec = FakeObjects.open(fake).pinMapsIn(DIR).setMaxEntries("test_hash", 4096);
        IncompatibleMapException e = assertThrows(IncompatibleMapException.class, spec::load);
        assertEquals(List.of("max_entries: object wants 4096, pinned map has 1024"), e.differences());
        assertTrue(e.getMessage().contains("test_hash") && e.getMessage().contains(DIR.toString()), e.getMessage());

        try (BpfObject o = spec.replaceIncompatiblePins().load()) {
            assertEquals(4096, o.map("test_hash", org.xmasq.bpf.support.TestKey.CODEC,
                    org.xmasq.bpf.support.TestValue.CODEC).maxEntries());
            assertEquals(1L, o.map("test_lru", Codecs.u32(), Codecs.u64()).lookup(1).orElseThrow(),
                    "compatible pins are still reused");
        }
    }

    @Test
    void typeAndSizesChanged() {
        FakeLibBpf fake = FakeObjects.fake();
        FakeObjects.open(fake).pinMapsIn(DIR).load().close();
        fake.registerObject("v2", org.xmasq.libbpf.fake.FakeObjectSpec.builder()
                .map("test_hash", FakeLibBpf.MAP_LRU_HASH, 12, 40, 1024).build());
        try (BpfObjectSpec v2 = BpfObjectSpec.fromBytes(fake, FakeObjects.ELF, "v2").pinMapsIn(DIR)) {
            IncompatibleMapException e = assertThrows(IncompatibleMapException.class, v2::load);
            assertEquals(List.of("type: object wants LRU_HASH, pinned map has HASH",
                    "key_size: object wants 12, pinned map has 8",
                    "value_size: object wants 40, pinned map has 32"), e.differences());
        }
        assertEquals(0, fake.openFds(), "the pin was opened for the check and closed again");
    }
}
