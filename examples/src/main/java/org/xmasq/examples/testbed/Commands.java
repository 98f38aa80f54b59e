package org.xmasq.examples.testbed;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs external commands (ip, bridge, iptables, the benchmark tools) with a deadline: nothing the testbed starts can
 * hang it. A command still running at its deadline is killed (it is our own child, killed by its pid).
 */
public final class Commands {
    /** Deadline for configuration commands (ip, bridge, sysctl, iptables). */
    public static final Duration CONFIG_TIMEOUT = Duration.ofSeconds(20);

    private Commands() {
    }

    /** Runs {@code command} to completion or until {@code timeout}, capturing both outputs. Never throws on status. */
    public static CommandResult run(Duration timeout, List<String> command) {
        ProcessBuilder pb = new ProcessBuilder(command);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new TestbedException("cannot start " + String.join(" ", command) + ": " + e.getMessage(), e);
        }
        closeStdin(p);
        Drain out = new Drain(p.getInputStream());
        Drain err = new Drain(p.getErrorStream());
        out.start();
        err.start();
        int exit;
        try {
            if (p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                exit = p.exitValue();
            } else {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
                exit = -1;
            }
            out.join(5_000);
            err.join(5_000);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new TestbedException("interrupted while running " + String.join(" ", command), e);
        }
        String stderr = err.text();
        if (exit == -1) {
            stderr = "killed after " + timeout.toMillis() + " ms. " + stderr;
        }
        return new CommandResult(command, exit, out.text(), stderr);
    }

    /** {@link #run} with the configuration deadline, throwing when the command fails. */
    public static CommandResult check(String... command) {
        return run(CONFIG_TIMEOUT, List.of(command)).orThrow();
    }

    /** True when {@code tool} is an executable on the PATH. */
    public static boolean available(String tool) {
        String path = System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        for (String dir : (path + ":/usr/sbin:/sbin").split(":")) {
            if (!dir.isEmpty() && new java.io.File(dir, tool).canExecute()) {
                return true;
            }
        }
        return false;
    }

    /** The tools never read standard input; a closed one makes any that tries see EOF instead of waiting. */
    private static void closeStdin(Process p) {
        try {
            p.getOutputStream().close();
        } catch (IOException ignored) {
            // the child may already be gone
        }
    }

    /** Reads one output stream to its end on its own thread, so a chatty child never blocks on a full pipe. */
    private static final class Drain extends Thread {
        private final InputStream in;
        private final ByteArrayOutputStream buf = new ByteArrayOutputStream();

        Drain(InputStream in) {
            super("command-output");
            setDaemon(true);
            this.in = in;
        }

        @Override
        public void run() {
            try (in) {
                in.transferTo(buf);
            } catch (IOException e) {
                // the process was killed; keep what we have
            }
        }

        String text() {
            synchronized (buf) {
                return buf.toString(StandardCharsets.UTF_8);
            }
        }
    }
}
