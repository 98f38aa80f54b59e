package org.xmasq.libbpf;

/**
 * The kernel rejected a program at load. The message carries the first lines of the verifier log;
 * {@link #log()} has all of it.
 */
public final class VerifierException extends BpfException {
    private static final int SUMMARY_LINES = 12;
    private final String log;

    public VerifierException(String operation, int errno, String log) {
        super(operation, errno, operation + " failed: " + Errno.describe(errno) + summary(log));
        this.log = log == null ? "" : log;
    }

    /** The whole log libbpf printed while loading, verifier output included. */
    public String log() {
        return log;
    }

    private static String summary(String log) {
        if (log == null || log.isBlank()) {
            return "";
        }
        String[] lines = log.strip().split("\n");
        StringBuilder sb = new StringBuilder("\n--- log (first ").append(Math.min(SUMMARY_LINES, lines.length))
                .append(" of ").append(lines.length).append(" lines; full text in log()) ---");
        for (int i = 0; i < Math.min(SUMMARY_LINES, lines.length); i++) {
            sb.append('\n').append(lines[i]);
        }
        return sb.toString();
    }
}
