package org.xmasq.bpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.xmasq.bpf.support.FakeObjects;
import org.xmasq.bpf.support.TestKey;
import org.xmasq.bpf.support.TestValue;

/** lookup and lookupAndDelete of a key that is not there give Optional.empty(), not an exception. */
class AMissingKeyIsAnEmptyOptional {
    @Test
    void lookupOfAnAbsentKeyIsEmptyAndOfAPresentKeyIsTheValue() {
        try (BpfObject o = FakeObjects.load(FakeObjects.fake())) {
            BpfMap<TestKey, TestValue> m = o.map("test_hash", TestKey.CODEC, TestValue.CODEC);
            TestKey k = TestKey.of("10.0.0.1", 80, 6);
            assertEquals(Optional.empty(), m.lookup(k));
            m.put(k, TestValue.of(5));
            assertEquals(Optional.of(TestValue.of(5)), m.lookup(k));
            assertEquals(Optional.empty(), m.lookup(TestKey.of("10.0.0.1", 81, 6)));
        }
    }

    @Test
    void lookupAndDeleteOfAnAbsentKeyIsEmptyAndRemovesAPresentOne() {
        try (BpfObject o = FakeObjects.load(FakeObjects.fake())) {
            BpfMap<TestKey, TestValue> m = o.map("test_hash", TestKey.CODEC, TestValue.CODEC);
            TestKey k = TestKey.of("10.0.0.2", 443, 17);
            assertTrue(m.lookupAndDelete(k).isEmpty());
            m.put(k, TestValue.of(9));
            assertEquals(Optional.of(TestValue.of(9)), m.lookupAndDelete(k));
            assertTrue(m.lookup(k).isEmpty());
        }
    }
}
