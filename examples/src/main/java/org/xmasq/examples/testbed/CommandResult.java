package org.xmasq.examples.testbed;

import java.util.List;

/**
 * What a finished external command left behind.
 *
 * @param command the argument vector as run
 * @param exitCode its exit status (-1 when it was killed at its deadline)
 * @param stdout everything it wrote to standard output
 * @param stderr everything it wrote to standard error
 */
public record CommandResult(List<String> command, int exitCode, String stdout, String stderr) {
    public CommandResult {
        command = List.copyOf(command);
    }

    public boolean ok() {
        return exitCode == 0;
    }

    /** This result, or a {@link TestbedException} naming the command, its status and its error output. */
    public CommandResult orThrow() {
        if (!ok()) {
            throw new TestbedException(String.join(" ", command) + " exited with " + exitCode + ": " + stderr.strip());
        }
        return this;
    }
}
