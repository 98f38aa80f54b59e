package org.xmasq.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The benchmark thread's CPU time per element (user + system), next to JMH's wall-clock time.
 *
 * <p>On a shared, oversubscribed machine the wall-clock time of an operation includes the time the thread waited
 * for a CPU, which changes with the other tenants' load; the thread's own CPU time does not. mapbench.c measures
 * both the same way (CLOCK_MONOTONIC and CLOCK_THREAD_CPUTIME_ID), so both ratios can be compared.
 *
 * <p>Reported by JMH as the secondary metric {@code cpuNsPerElement} (an iteration's CPU time over the elements
 * the benchmark counted in {@link #elements}).
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class CpuTime {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** Elements handled in this iteration; the benchmark methods add to it. */
    long elements;
    private long startNs;
    private double perElement;

    @Setup(Level.Iteration)
    public void start() {
        elements = 0;
        perElement = 0;
        startNs = THREADS.getCurrentThreadCpuTime();
    }

    @TearDown(Level.Iteration)
    public void stop() {
        long ns = THREADS.getCurrentThreadCpuTime() - startNs;
        perElement = elements == 0 ? 0 : (double) ns / elements;
    }

    /** The aux counter: CPU ns per element in the iteration that just ended. */
    public double cpuNsPerElement() {
        return perElement;
    }
}
