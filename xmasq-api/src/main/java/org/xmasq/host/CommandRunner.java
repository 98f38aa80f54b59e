package org.xmasq.host;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs an external command (ip, iptables, nft). A child process inherits the network namespace of the thread that
 * starts it, so commands act on the namespace the datapath runs in.
 */
public interface CommandRunner {
    /** How a command ended. {@code exitCode} is -1 when it could not be started (e.g. not installed). */
    record Result(int exitCode, String output) {
        public boolean ok() {
            return exitCode == 0;
        }
    }

    Result run(List<String> command);

    /** Runs the command for real, waiting up to 30 seconds; stdout and stderr are merged. */
    static CommandRunner system() {
        return command -> {
            try {
                Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
                p.getOutputStream().close();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    return new Result(-1, String.join(" ", command) + " timed out");
                }
                return new Result(p.exitValue(), out);
            } catch (IOException e) {
                return new Result(-1, e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Result(-1, "interrupted");
            }
        };
    }
}
