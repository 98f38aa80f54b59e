package org.xmasq.bpf;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A map as an object file declares it (plus what was set before load: max entries, pin path).
 * {@code internal} maps are the ones libbpf makes for .rodata/.data/.bss; they are never pinned by a pin directory.
 */
public record MapSpec(String name, MapType type, int keySize, int valueSize, int maxEntries, Path pinPath,
                      boolean internal) {
    public Optional<Path> pin() {
        return Optional.ofNullable(pinPath);
    }
}
