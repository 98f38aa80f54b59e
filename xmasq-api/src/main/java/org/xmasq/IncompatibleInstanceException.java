package org.xmasq;

import java.nio.file.Path;
import java.util.List;

/**
 * The pin root holds an instance this SDK cannot re-adopt: another format version or object, another configuration,
 * other map sizes. {@link #differences()} says what differs; {@code XMasq.builder().replaceIncompatible(true)}
 * tears that instance down (detach, unpin, caches lost) and starts afresh.
 */
public final class IncompatibleInstanceException extends XMasqException {
    private static final long serialVersionUID = 1L;

    private final transient Path pinRoot;
    private final transient List<String> differences;

    public IncompatibleInstanceException(Path pinRoot, List<String> differences) {
        super("the XMasq instance pinned at " + pinRoot + " is incompatible with this one: "
                + String.join("; ", differences) + " (replaceIncompatible(true) replaces it, losing its caches)");
        this.pinRoot = pinRoot;
        this.differences = List.copyOf(differences);
    }

    public Path pinRoot() {
        return pinRoot;
    }

    /** One line per difference, "what: pinned X, wanted Y". */
    public List<String> differences() {
        return differences;
    }
}
