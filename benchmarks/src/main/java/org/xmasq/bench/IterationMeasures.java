package org.xmasq.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * What each measurement iteration reports besides JMH's wall-clock ns/op (as JMH secondary metrics):
 * <ul>
 *   <li>{@code cpuNsPerElement}: the benchmark thread's CPU time (user + system) per element. On a shared,
 *       oversubscribed machine wall-clock time includes the waits for a CPU, which follow the other tenants'
 *       load; CPU time does not.</li>
 *   <li>{@code cNsPerElement}, {@code cCpuNsPerElement}: the same operation timed by the C program
 *       ({@code mapbench --serve}) for as long as one iteration, right after it. Each Java iteration thus has a C
 *       twin measured seconds later under the same load, and their ratio is far steadier than the ratio of runs
 *       made minutes apart. Only when the environment variable {@code XMASQ_MAPBENCH} names the mapbench binary
 *       (bin/bench-maps sets it); 0 otherwise.</li>
 * </ul>
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class IterationMeasures {
    /** Path of the mapbench binary; unset = no C twin. */
    static final String MAPBENCH_ENV = "XMASQ_MAPBENCH";
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** Elements handled in this iteration; the benchmark methods add to it. */
    long elements;
    private long startNs;
    private double cpuPerElement;
    private double cWall;
    private double cCpu;

    private Process mapbench;
    private Writer requests;
    private BufferedReader answers;
    private String op;

    @Setup(Level.Trial)
    public void startC(BenchmarkParams params) throws IOException {
        String path = System.getenv(MAPBENCH_ENV);
        if (path == null || path.isEmpty()) {
            return;
        }
        String benchmark = params.getBenchmark();
        op = benchmark.substring(benchmark.lastIndexOf('.') + 1);
        mapbench = new ProcessBuilder(path, "--serve", "--warmup-ms", "500")
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        requests = new OutputStreamWriter(mapbench.getOutputStream(), StandardCharsets.US_ASCII);
        answers = new BufferedReader(new InputStreamReader(mapbench.getInputStream(), StandardCharsets.US_ASCII));
    }

    @TearDown(Level.Trial)
    public void stopC() throws IOException, InterruptedException {
        if (mapbench != null) {
            requests.close();
            if (!mapbench.waitFor(10, TimeUnit.SECONDS)) {
                mapbench.destroy();
            }
            answers.close();
        }
    }

    @Setup(Level.Iteration)
    public void start() {
        elements = 0;
        cpuPerElement = 0;
        cWall = 0;
        cCpu = 0;
        startNs = THREADS.getCurrentThreadCpuTime();
    }

    @TearDown(Level.Iteration)
    public void stop(IterationParams iteration) {
        long ns = THREADS.getCurrentThreadCpuTime() - startNs;
        cpuPerElement = elements == 0 ? 0 : (double) ns / elements;
        if (mapbench != null && iteration.getType() == IterationType.MEASUREMENT) {
            long ms = iteration.getTime().convertTo(TimeUnit.MILLISECONDS);
            String answer;
            try {
                requests.write(op + " " + ms + "\n");
                requests.flush();
                answer = answers.readLine();
            } catch (IOException e) {
                throw new UncheckedIOException("mapbench --serve", e);
            }
            if (answer == null) {
                throw new IllegalStateException("mapbench --serve ended (see its message above)");
            }
            String[] fields = answer.split("\t");
            cWall = Double.parseDouble(fields[0]);
            cCpu = Double.parseDouble(fields[1]);
        }
    }

    /** This thread's CPU ns per element in the iteration that just ended. */
    public double cpuNsPerElement() {
        return cpuPerElement;
    }

    /** The C twin's wall-clock ns per element (0 without one, and in warm-up iterations). */
    public double cNsPerElement() {
        return cWall;
    }

    /** The C twin's CPU ns per element (0 without one, and in warm-up iterations). */
    public double cCpuNsPerElement() {
        return cCpu;
    }
}
