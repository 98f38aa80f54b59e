package org.xmasq.bpf.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.xmasq.bpf.BpfMap;
import org.xmasq.bpf.BpfObject;
import org.xmasq.bpf.BpfObjectSpec;
import org.xmasq.bpf.Codecs;
import org.xmasq.libbpf.LibBpf;

/**
 * On this kernel hash maps support the batch commands: lookupAll/putAll/deleteAll use them (a few syscalls for
 * hundreds of entries) instead of silently falling back to one call per entry.
 */
class KernelBatchesUseTheBatchSyscalls {
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

    private LibBpf counting(LibBpf real) {
        return (LibBpf) Proxy.newProxyInstance(LibBpf.class.getClassLoader(), new Class<?>[] {LibBpf.class},
                (proxy, method, args) -> {
                    calls.computeIfAbsent(method.getName(), k -> new AtomicInteger()).incrementAndGet();
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private int calls(String method) {
        AtomicInteger n = calls.get(method);
        return n == null ? 0 : n.get();
    }

    @Test
    void hashMapBatches() {
        LibBpf lib = counting(KernelObjects.lib());
        try (BpfObject o = BpfObjectSpec.fromResource(lib, KernelObjects.TEST).load()) {
            BpfMap<Integer, Long> lru = o.map("test_lru", Codecs.u32(), Codecs.u64());
            Map<Integer, Long> want = new LinkedHashMap<>();
            for (int i = 0; i < 200; i++) {
                want.put(i, i * 11L);
            }
            lru.putAll(want);
            assertEquals(1, calls("mapUpdateBatch"));
            assertEquals(0, calls("mapUpdate"), "no per-element fallback");
            assertEquals(want, lru.lookupAll());
            assertTrue(calls("mapLookupBatch") >= 1 && calls("mapLookupBatch") <= 3, "" + calls("mapLookupBatch"));
            assertEquals(0, calls("mapGetNextKey"));
            assertEquals(200, lru.deleteAll(want.keySet()));
            assertEquals(1, calls("mapDeleteBatch"));
            assertEquals(0, calls("mapDelete"));
        }
    }
}
