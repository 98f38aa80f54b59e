package org.xmasq.bpf;

/** enum bpf_map_type, by kernel value. */
public enum MapType {
    UNSPEC(0), HASH(1), ARRAY(2), PROG_ARRAY(3), PERF_EVENT_ARRAY(4), PERCPU_HASH(5), PERCPU_ARRAY(6),
    STACK_TRACE(7), CGROUP_ARRAY(8), LRU_HASH(9), LRU_PERCPU_HASH(10), LPM_TRIE(11), ARRAY_OF_MAPS(12),
    HASH_OF_MAPS(13), DEVMAP(14), SOCKMAP(15), CPUMAP(16), XSKMAP(17), SOCKHASH(18), CGROUP_STORAGE(19),
    REUSEPORT_SOCKARRAY(20), PERCPU_CGROUP_STORAGE(21), QUEUE(22), STACK(23), SK_STORAGE(24), DEVMAP_HASH(25),
    STRUCT_OPS(26), RINGBUF(27), INODE_STORAGE(28), TASK_STORAGE(29), BLOOM_FILTER(30), USER_RINGBUF(31),
    CGRP_STORAGE(32), ARENA(33),
    /** A type this SDK does not know by name. */
    UNKNOWN(-1);

    private static final MapType[] BY_VALUE = new MapType[34];

    static {
        for (MapType t : values()) {
            if (t.value >= 0) {
                BY_VALUE[t.value] = t;
            }
        }
    }

    private final int value;

    MapType(int value) {
        this.value = value;
    }

    public int value() {
        return value;
    }

    public static MapType of(int value) {
        return value >= 0 && value < BY_VALUE.length ? BY_VALUE[value] : UNKNOWN;
    }

    /** Values have one slot per possible CPU. */
    public boolean isPerCpu() {
        return this == PERCPU_HASH || this == PERCPU_ARRAY || this == LRU_PERCPU_HASH
                || this == PERCPU_CGROUP_STORAGE;
    }

    /** Every key 0..max_entries-1 always exists; entries cannot be deleted. */
    public boolean isArray() {
        return this == ARRAY || this == PERCPU_ARRAY;
    }

    /** Name for messages; an unknown type shows its number. */
    static String describe(int type) {
        MapType t = of(type);
        return t == UNKNOWN ? "type " + type : t.name();
    }
}
