package org.xmasq.libbpf.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs iproute2 and friends for the tests. */
public final class Shell {
    private Shell() {
    }

    /** The command's exit code and combined output. */
    public record Result(int exitCode, String output) {
        public boolean ok() {
            return exitCode == 0;
        }
    }

    /** Runs {@code command} (at most 30 s) and returns how it ended. */
    public static Result run(String... command) {
        ProcessBuilder pb = new ProcessBuilder(List.of(command)).redirectErrorStream(true);
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "timed out: " + String.join(" ", command));
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Result(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, e.toString());
        }
    }

    /** Runs {@code command} and fails unless it exits 0. @return its output */
    public static String check(String... command) {
        Result r = run(command);
        if (!r.ok()) {
            throw new IllegalStateException("'" + String.join(" ", command) + "' exited " + r.exitCode()
                    + ": " + r.output());
        }
        return r.output();
    }
}
