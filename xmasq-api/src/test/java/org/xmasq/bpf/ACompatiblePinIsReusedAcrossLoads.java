package org.xmasq.bpf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.xmasq.bpf.support.FakeObjects;
import org.xmasq.bpf.support.TestKey;
import org.xmasq.bpf.support.TestValue;
import org.xmasq.libbpf.fake.FakeLibBpf;

/** A second load with the same pin paths reuses the pinned maps: entries written by the first are there. */
class ACompatiblePinIsReusedAcrossLoads {
    @Test
    void entriesSurviveAReload() {
        FakeLibBpf fake = FakeObjects.fake();
        Path dir = Path.of("/sys/fs/bpf/xmt-reuse");
        TestKey k = TestKey.of("10.9.8.7", 4789, 17);
        try (BpfObject first = FakeObjects.open(fake).pinMapsIn(dir).load()) {
            first.map("test_hash", TestKey.CODEC, TestValue.CODEC).put(k, TestValue.of(42));
            assertEquals(dir.resolve("test_hash"), first.maps().get(0).pinPath());
        }
        try (BpfObject second = FakeObjects.open(fake).pinMapsIn(dir).load()) {
            assertEquals(TestValue.of(42), second.map("test_hash", TestKey.CODEC, TestValue.CODEC).lookup(k).orElseThrow());
        }
        try (BpfMap<TestKey, TestValue> adopted = BpfMap.open(fake, dir.resolve("test_hash"), TestKey.CODEC,
                TestValue.CODEC)) {
            assertEquals(TestValue.of(42), adopted.lookup(k).orElseThrow());
        }
        assertEquals(0, fake.openFds());
    }
}
