package org.xmasq.libbpf;

/** The fields of struct bpf_map_info the SDK uses. */
public record MapInfo(int type, int id, int keySize, int valueSize, int maxEntries, int flags, String name) {
}
