package org.xmasq.examples.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.xmasq.examples.testbed.CommandResult;
import org.xmasq.examples.testbed.Netns;

/**
 * Runs the real launcher, bin/xmasq, inside a namespace with {@code nsenter --net} (as a user would), on this test
 * run's JVM and classpath: the JDK 25 run exercises the FFM backend, the JDK 17 run JNA. Every run has a deadline;
 * a process still running then is killed by its pid.
 */
final class Cli {
    static final Path LAUNCHER = locate();
    static final Duration TIMEOUT = Duration.ofSeconds(90);

    private Cli() {
    }

    private static Path locate() {
        Path d = Path.of("").toAbsolutePath();
        while (d != null) {
            Path l = d.resolve("bin/xmasq");
            if (Files.isExecutable(l)) {
                return l;
            }
            d = d.getParent();
        }
        throw new IllegalStateException("no bin/xmasq above " + Path.of("").toAbsolutePath());
    }

    /** The command line: nsenter into {@code ns} (or none when null), then the launcher. */
    static List<String> command(Netns ns, List<String> args) {
        List<String> c = new ArrayList<>();
        if (ns != null) {
            c.addAll(List.of("nsenter", "--net=" + ns.path(), "--"));
        }
        c.add(LAUNCHER.toString());
        c.addAll(args);
        return c;
    }

    static ProcessBuilder builder(Netns ns, List<String> args) {
        ProcessBuilder pb = new ProcessBuilder(command(ns, args));
        Map<String, String> env = pb.environment();
        env.put("XMASQ_JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        env.put("XMASQ_CLASSPATH", System.getProperty("java.class.path"));
        String backend = System.getProperty("xmasq.libbpf");
        env.put("JAVA_OPTS", backend == null ? "" : "-Dxmasq.libbpf=" + backend);
        env.remove("XMASQ_LOG");
        return pb;
    }

    /** Runs {@code xmasq args...} in {@code ns} to completion (or the deadline). */
    static CommandResult run(Netns ns, String... args) {
        return run(ns, List.of(args));
    }

    static CommandResult run(Netns ns, List<String> args) {
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("xmasq-cli", ".out");
            err = Files.createTempFile("xmasq-cli", ".err");
            Process p = builder(ns, args).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            int exit;
            if (p.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                exit = p.exitValue();
            } else {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
                exit = -1;
            }
            return new CommandResult(command(ns, args), exit, Files.readString(out), Files.readString(err));
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + args + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    /** Starts {@code xmasq args...} in {@code ns} without waiting (output discarded); stop it by its pid. */
    static Process start(Netns ns, String... args) {
        try {
            return builder(ns, List.of(args)).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + List.of(args) + ": " + e, e);
        }
    }

    /** {@link #run} that must succeed. */
    static CommandResult ok(Netns ns, String... args) {
        CommandResult r = run(ns, args);
        if (!r.ok()) {
            throw new AssertionError("xmasq " + String.join(" ", args) + " exited with " + r.exitCode() + ": "
                    + r.stderr().strip() + " " + r.stdout().strip());
        }
        return r;
    }

    private static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // a temp file
            }
        }
    }
}
