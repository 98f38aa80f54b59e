package org.xmasq.libbpf.fake;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Fault injection and call counting for {@link FakeLibBpf}, by {@link org.xmasq.libbpf.LibBpf} method name: the next
 * calls (queued) or every call of a method fail with an errno. Guarded by the fake's lock.
 */
final class FakeFaults {
    private final Map<String, Deque<Integer>> next = new HashMap<>();
    private final Map<String, Integer> always = new HashMap<>();
    private final Map<String, Integer> counts = new HashMap<>();

    void failNext(String method, int errno) {
        next.computeIfAbsent(method, k -> new ArrayDeque<>()).add(Math.abs(errno));
    }

    void failAlways(String method, int errno) {
        always.put(method, Math.abs(errno));
    }

    void clear() {
        next.clear();
        always.clear();
    }

    int calls(String method) {
        return counts.getOrDefault(method, 0);
    }

    /** Counts a call that cannot fail. */
    void count(String method) {
        counts.merge(method, 1, Integer::sum);
    }

    /** Counts the call and returns the injected failure (-errno) or 0. */
    int enter(String method) {
        counts.merge(method, 1, Integer::sum);
        Deque<Integer> q = next.get(method);
        if (q != null && !q.isEmpty()) {
            return -q.poll();
        }
        Integer a = always.get(method);
        return a == null ? 0 : -a;
    }
}
