package org.xmasq.examples.testbed;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A named network namespace (an entry of /run/netns, as {@code ip netns add} makes it) and the ways to run things in
 * it: {@code ip -n NAME ...} for iproute2, {@code nsenter --net=/run/netns/NAME ...} for everything else.
 * {@code nsenter} is used rather than {@code ip netns exec} because it keeps /sys/fs/bpf visible and exec()s the
 * command in place, so the pid of the started process is the pid of the tool itself.
 */
public record Netns(String name) {
    public static final Path RUN_NETNS = Path.of("/run/netns");

    public Netns {
        if (!name.matches("[A-Za-z0-9_.-]{1,64}")) {
            throw new IllegalArgumentException("not a namespace name: " + name);
        }
    }

    /** /run/netns/NAME: what setns(2), nsenter and LibBpf.inNetns open. */
    public Path path() {
        return RUN_NETNS.resolve(name);
    }

    /** {@code ip -n NAME args...}, failing on a non-zero status. */
    public CommandResult ip(String... args) {
        return Commands.run(Commands.CONFIG_TIMEOUT, withPrefix(List.of("ip", "-n", name), args)).orThrow();
    }

    /** {@code bridge -n NAME args...}, failing on a non-zero status. */
    public CommandResult bridge(String... args) {
        return Commands.run(Commands.CONFIG_TIMEOUT, withPrefix(List.of("bridge", "-n", name), args)).orThrow();
    }

    /** Runs {@code command} inside the namespace to completion or its deadline; the caller judges the status. */
    public CommandResult run(Duration timeout, String... command) {
        return Commands.run(timeout, nsenter(List.of(command)));
    }

    /** Runs a configuration command inside the namespace, failing on a non-zero status. */
    public CommandResult check(String... command) {
        return run(Commands.CONFIG_TIMEOUT, command).orThrow();
    }

    /**
     * Starts a long-running process (a server) inside the namespace, output discarded. Stop it with
     * {@link #stop(Process)}.
     */
    public Process start(List<String> command) {
        ProcessBuilder pb = new ProcessBuilder(nsenter(command))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            return p;
        } catch (IOException e) {
            throw new TestbedException("cannot start " + command + " in " + name + ": " + e.getMessage(), e);
        }
    }

    /** Stops a process this code started, by its pid: SIGTERM, then SIGKILL after two seconds. */
    public static void stop(Process p) {
        if (p == null || !p.isAlive()) {
            return;
        }
        p.destroy();
        try {
            if (!p.waitFor(2, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** True while /run/netns/NAME exists. */
    public boolean exists() {
        return java.nio.file.Files.exists(path());
    }

    List<String> nsenter(List<String> command) {
        List<String> all = new ArrayList<>(List.of("nsenter", "--net=" + path(), "--"));
        all.addAll(command);
        return all;
    }

    private static List<String> withPrefix(List<String> prefix, String... args) {
        List<String> all = new ArrayList<>(prefix);
        all.addAll(List.of(args));
        return all;
    }
}
