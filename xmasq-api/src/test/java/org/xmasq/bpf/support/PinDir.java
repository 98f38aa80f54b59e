package org.xmasq.bpf.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** A fresh /sys/fs/bpf/xmt-&lt;hex&gt; path (not created: the SDK makes it), removed with its pins on close. */
public final class PinDir implements AutoCloseable {
    private final Path dir = Path.of("/sys/fs/bpf", Names.unique());

    public Path path() {
        return dir;
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
