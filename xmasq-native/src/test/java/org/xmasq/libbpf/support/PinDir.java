package org.xmasq.libbpf.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A fresh /sys/fs/bpf/xmt-&lt;hex&gt; directory, removed with everything pinned in it on close; {@link #notCreated()}
 * gives only the path, for code that makes the directory itself (the SDK's pin roots).
 */
public final class PinDir implements AutoCloseable {
    private final Path dir = Path.of("/sys/fs/bpf", Names.unique());

    /** Creates the directory. */
    public PinDir() {
        try {
            Files.createDirectory(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private PinDir(Void notCreated) {
    }

    /** A fresh path whose directory is not created: closing removes it and its pins if something made it. */
    public static PinDir notCreated() {
        return new PinDir(null);
    }

    public Path path() {
        return dir;
    }

    /** A path inside the directory. */
    public String resolve(String name) {
        return dir.resolve(name).toString();
    }

    @Override
    public void close() {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            List<Path> all = walk.sorted(Comparator.reverseOrder()).toList();
            for (Path p : all) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
