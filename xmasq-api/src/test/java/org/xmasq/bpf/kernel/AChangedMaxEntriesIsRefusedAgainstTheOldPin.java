package org.xmasq.bpf.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.xmasq.bpf.BpfMap;
import org.xmasq.bpf.BpfObject;
import org.xmasq.bpf.BpfObjectSpec;
import org.xmasq.bpf.support.TestKey;
import org.xmasq.bpf.support.TestValue;
import org.xmasq.libbpf.IncompatibleMapException;
import org.xmasq.libbpf.support.PinDir;

/**
 * A pinned map from an older load with another max_entries is refused with "max_entries: object wants 4096,
 * pinned map has 1024"; with replaceIncompatiblePins() the old pin is replaced by a fresh map.
 */
class AChangedMaxEntriesIsRefusedAgainstTheOldPin {
    @Test
    void refusedThenReplaced() {
        try (PinDir pins = PinDir.notCreated()) {
            try (BpfObject old = KernelObjects.openTest().pinMapsIn(pins.path()).load()) {
                old.map("test_hash", TestKey.CODEC, TestValue.CODEC).put(TestKey.of("10.0.0.1", 1, 6), TestValue.of(1));
            }
            try (BpfObjectSpec spec = KernelObjects.openTest().pinMapsIn(pins.path()).setMaxEntries("test_hash", 4096)) {
                IncompatibleMapException e = assertThrows(IncompatibleMapException.class, spec::load);
                assertEquals(List.of("max_entries: object wants 4096, pinned map has 1024"), e.differences());
                assertTrue(e.getMessage().contains(pins.path().resolve("test_hash").toString()), e.getMessage());

                try (BpfObject fresh = spec.replaceIncompatiblePins().load()) {
                    BpfMap<TestKey, TestValue> h = fresh.map("test_hash", TestKey.CODEC, TestValue.CODEC);
                    assertEquals(4096, h.maxEntries());
                    assertEquals(0, h.size(), "a new, empty map");
                }
            }
            try (BpfMap<TestKey, TestValue> pinned = BpfMap.open(KernelObjects.lib(), pins.path().resolve("test_hash"),
                    TestKey.CODEC, TestValue.CODEC)) {
                assertEquals(4096, pinned.maxEntries(), "the pin now holds the new map");
            }
        }
    }
}
