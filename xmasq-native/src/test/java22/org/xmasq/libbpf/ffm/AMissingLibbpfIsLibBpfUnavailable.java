package org.xmasq.libbpf.ffm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.xmasq.libbpf.LibBpfUnavailableException;
import org.xmasq.libbpf.LibBpfs;

/**
 * Without a loadable libbpf.so.1 the FFM backend's constructor throws, and {@link LibBpfs#load} turns that into a
 * {@link LibBpfUnavailableException} naming the library, every time it is asked (not just the first).
 *
 * <p>A child JVM runs in a private mount namespace ({@code unshare -m}) in which the library file the parent
 * loaded is covered by a bind mount of /dev/null; the host's mounts are untouched.
 */
class AMissingLibbpfIsLibBpfUnavailable {

    /** Runs in the child JVM: tries twice, prints one line per attempt. */
    public static void main(String[] args) {
        for (int i = 0; i < 2; i++) {
            try {
                LibBpfs.load("ffm");
                System.out.println("LOADED");
            } catch (LibBpfUnavailableException e) {
                System.out.println("UNAVAILABLE " + e.getMessage().replace('\n', ' '));
            } catch (RuntimeException e) {
                System.out.println("OTHER " + e);
            }
        }
    }

    /** The file this JVM mapped for libbpf.so.1. */
    private static Path loadedLibbpf() throws IOException {
        new FfmLibBpf();
        return Files.readAllLines(Path.of("/proc/self/maps")).stream()
                .filter(l -> l.contains("/libbpf.so"))
                .map(l -> Path.of(l.substring(l.indexOf('/'))))
                .findFirst().orElseThrow(() -> new AssertionError("libbpf is not mapped in this JVM"));
    }

    @Test
    void theConstructorThrowsAndLoadReportsUnavailableEveryTime() throws Exception {
        Path lib = loadedLibbpf();
        String java = ProcessHandle.current().info().command().orElseThrow();
        String script = "mount --bind /dev/null '" + lib + "' && exec '" + java + "'"
                + " --enable-native-access=ALL-UNNAMED -cp '" + System.getProperty("java.class.path") + "' "
                + AMissingLibbpfIsLibBpfUnavailable.class.getName();
        Process p = new ProcessBuilder("unshare", "-m", "--propagation", "private", "sh", "-c", script)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child JVM timed out");
        assertEquals(0, p.exitValue(), out);
        List<String> attempts = out.lines().filter(l -> l.startsWith("UNAVAILABLE") || l.startsWith("LOADED")
                || l.startsWith("OTHER")).toList();
        assertEquals(2, attempts.size(), out);
        for (String a : attempts) {
            assertTrue(a.startsWith("UNAVAILABLE") && a.contains("libbpf.so.1"), "attempt: " + a);
        }
        assertTrue(Files.size(lib) > 0, "the host still sees the real library");
    }
}
