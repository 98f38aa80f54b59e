package org.xmasq.libbpf.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** A fresh /sys/fs/bpf/xmt-&lt;hex&gt; directory, removed with everything pinned in it on close. */
public final class PinDir implements AutoCloseable {
    private final Path dir;

    public PinDir() {
        dir = Path.of("/sys/fs/bpf", Names.unique());
        try {
            Files.createDirectory(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
