package org.xmasq.libbpf;

import java.util.List;

/**
 * A map does not have the shape the caller expects: a pinned map left by another version, or a codec whose size
 * does not match the map's key or value. {@link #differences()} lists each mismatch as "field: expected X, found Y".
 */
public final class IncompatibleMapException extends BpfException {
    private final List<String> differences;

    public IncompatibleMapException(String operation, List<String> differences) {
        super(operation, Errno.EINVAL, operation + ": incompatible map: " + String.join("; ", differences));
        this.differences = List.copyOf(differences);
    }

    public List<String> differences() {
        return differences;
    }
}
