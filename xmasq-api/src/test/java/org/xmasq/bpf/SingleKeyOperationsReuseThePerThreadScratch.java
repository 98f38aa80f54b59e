package org.xmasq.bpf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.xmasq.bpf.support.FakeObjects;
import org.xmasq.bpf.support.TestKey;
import org.xmasq.bpf.support.TestValue;
import org.xmasq.libbpf.fake.FakeLibBpf;

/**
 * The hot path takes a native address once per thread and handle: thousands of lookups, puts and deletes do not
 * ask for another buffer address.
 */
class SingleKeyOperationsReuseThePerThreadScratch {
    @Test
    void oneAddressPerThread() throws Exception {
        FakeLibBpf fake = FakeObjects.fake();
        try (BpfObject o = FakeObjects.load(fake)) {
            BpfMap<TestKey, TestValue> m = o.map("test_hash", TestKey.CODEC, TestValue.CODEC);
            TestKey k = TestKey.of("10.0.0.1", 1, 6);
            m.put(k, TestValue.of(1));
            int after = fake.calls("address");
            for (int i = 0; i < 5000; i++) {
                m.put(k, TestValue.of(i));
                m.lookup(k);
                m.replace(k, TestValue.of(i));
                m.delete(k);
                m.putIfAbsent(k, TestValue.of(i));
            }
            assertEquals(after, fake.calls("address"));
            Thread t = new Thread(() -> m.lookup(k));
            t.start();
            t.join();
            assertEquals(after + 1, fake.calls("address"), "another thread gets its own scratch, once");
        }
    }
}
