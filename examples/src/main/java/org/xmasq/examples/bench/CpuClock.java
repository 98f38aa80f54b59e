package org.xmasq.examples.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CPU time from procfs. The kernel of the benchmark machine charges softirq work (most of the network stack on
 * veths) to the task that happens to run it, normally the sender or receiver itself, so the processes' own time is
 * a fair per-transaction cost; the whole machine's busy time is recorded too but includes unrelated load.
 */
final class CpuClock {
    /** USER_HZ: the unit of /proc/PID/stat and /proc/stat, 100 on every Linux architecture we run on. */
    static final double TICKS_PER_SECOND = 100.0;
    private static final Pattern TIMES = Pattern.compile("(?m)^(\\d+)m([\\d.]+)s (\\d+)m([\\d.]+)s\\s*$");

    private CpuClock() {
    }

    /** utime + stime of a live process (all its threads), in ticks; 0 when it is gone. */
    static long processTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // f[0] is field 3 (state); utime and stime are fields 14 and 15.
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** Non-idle time of all CPUs since boot, in ticks (user, nice, system, irq, softirq, steal). */
    static long systemBusyTicks() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/stat"))) {
                if (line.startsWith("cpu ")) {
                    String[] f = line.trim().split("\\s+");
                    long busy = 0;
                    for (int i = 1; i < f.length && i <= 8; i++) {
                        if (i != 4 && i != 5) { // idle, iowait
                            busy += Long.parseLong(f[i]);
                        }
                    }
                    return busy;
                }
            }
        } catch (IOException e) {
            // fall through
        }
        return 0;
    }

    /**
     * The children's user + system seconds from the output of bash's {@code times} builtin (its second line), which
     * the client wrapper prints after the tool exits; NaN when absent.
     */
    static double childSecondsFromTimes(String text) {
        Matcher m = TIMES.matcher(text);
        double last = Double.NaN;
        int n = 0;
        while (m.find()) {
            n++;
            double user = Long.parseLong(m.group(1)) * 60 + Double.parseDouble(m.group(2));
            double sys = Long.parseLong(m.group(3)) * 60 + Double.parseDouble(m.group(4));
            last = user + sys;
        }
        return n >= 2 ? last : Double.NaN;
    }
}
