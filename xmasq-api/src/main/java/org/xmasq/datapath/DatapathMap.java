package org.xmasq.datapath;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.BiPredicate;
import org.xmasq.bpf.BpfMap;

/**
 * What every typed view of a datapath map offers: lookup, iteration, put, delete, size. Views are safe to use from
 * many threads (each call is one or a few syscalls on the kernel map, which is itself concurrent); a walk of a map
 * the datapath is changing sees each key at most once and may miss keys that arrive meanwhile.
 *
 * @param <K> the key, as the datapath's C struct in Java
 * @param <V> the value
 */
public abstract class DatapathMap<K, V> {
    private final BpfMap<K, V> map;
    private final Runnable guard;

    /**
     * @param map the typed handle
     * @param guard runs before every call and throws when the owner forbids it (e.g. after its instance went down)
     */
    protected DatapathMap(BpfMap<K, V> map, Runnable guard) {
        this.map = Objects.requireNonNull(map, "map");
        this.guard = guard == null ? () -> { } : guard;
    }

    /** The generic handle underneath, for what the view does not offer (batches, conditional writes). */
    public BpfMap<K, V> handle() {
        guard.run();
        return map;
    }

    /** The kernel map's name. */
    public String name() {
        return map.name();
    }

    /** The map's capacity (max_entries). */
    public int capacity() {
        return map.maxEntries();
    }

    public Optional<V> lookup(K key) {
        guard.run();
        return map.lookup(key);
    }

    public boolean contains(K key) {
        return lookup(key).isPresent();
    }

    /** Inserts or overwrites. */
    public void put(K key, V value) {
        guard.run();
        map.put(key, value);
    }

    /** @return false when {@code key} was absent */
    public boolean delete(K key) {
        guard.run();
        return map.delete(key);
    }

    /** A snapshot of every entry (at most the capacity). */
    public Map<K, V> entries() {
        guard.run();
        return map.entries();
    }

    /** Every key. */
    public List<K> keys() {
        guard.run();
        return map.keys();
    }

    /** How many entries the map holds now (counted by walking its keys). */
    public int size() {
        return keys().size();
    }

    public boolean isEmpty() {
        return size() == 0;
    }

    /** Calls {@code action} for every entry. */
    public void forEach(BiConsumer<? super K, ? super V> action) {
        Objects.requireNonNull(action, "action");
        entries().forEach(action);
    }

    /** Deletes every entry {@code filter} accepts. @return how many were deleted */
    public int removeIf(BiPredicate<? super K, ? super V> filter) {
        Objects.requireNonNull(filter, "filter");
        List<K> doomed = new ArrayList<>();
        entries().forEach((k, v) -> {
            if (filter.test(k, v)) {
                doomed.add(k);
            }
        });
        if (doomed.isEmpty()) {
            return 0;
        }
        guard.run();
        return map.deleteAll(doomed);
    }

    /** Deletes every entry. @return how many were deleted */
    public int clear() {
        return removeIf((k, v) -> true);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + map.name() + "]";
    }
}
