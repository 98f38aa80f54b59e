package org.xmasq.examples.cni;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmasq.examples.testbed.Host;
import org.xmasq.net.Ipv4Address;

/**
 * Twenty containers on one host: every ADD registers its container, and the plugin's ADD wall time (the installed
 * launcher, JVM start included, as the runtime sees it) is measured and reported as a median. Measured, not asserted
 * (timings on a shared machine say little). A first ADD, not counted, trains the launcher's start-up cache; the report goes to the log and to target/xmasq-cni-add-latency.txt.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class TwentyPodmanAddsAreTimedJvmStartIncluded {
    private static final Logger LOG = LoggerFactory.getLogger(TwentyPodmanAddsAreTimedJvmStartIncluded.class);
    private static final int CONTAINERS = 20;
    private static PodmanHosts p;

    @BeforeAll
    static void up() throws Exception {
        p = PodmanHosts.start();
    }

    @AfterAll
    static void down() {
        if (p != null) {
            p.close();
        }
    }

    @Test
    void twentyAddsRegisterTwentyContainersAndTheirMedianIsReported() throws Exception {
        Host h1 = p.tb.host(1);
        // a node's first ADD also trains the launcher's start-up cache (AOT cache / AppCDS): not one of the twenty
        p.runContainer(h1, "warm", "10.244.1.99");
        int warm = p.pluginTimes("ADD").size();
        for (int i = 0; i < CONTAINERS; i++) {
            p.runContainer(h1, "t" + i, "10.244.1." + (100 + i));
        }
        for (int i = 0; i < CONTAINERS; i++) {
            Ipv4Address ip = Ipv4Address.parse("10.244.1." + (100 + i));
            assertTrue(p.node(h1).endpoints().lookup(ip).isPresent(), ip + " registered");
        }
        List<PodmanHosts.Timing> all = p.pluginTimes("ADD");
        assertEquals(1, warm, "the warm-up ADD");
        assertEquals(CONTAINERS + 1, all.size(), "one timed, successful ADD per container");
        List<PodmanHosts.Timing> timed = all.subList(1, all.size());
        List<Long> wall = timed.stream().map(PodmanHosts.Timing::wallMs).toList();
        List<Long> cpu = timed.stream().map(PodmanHosts.Timing::cpuMs).toList();
        String report = String.format("xmasq-cni ADD over %d podman containers, JVM start included (plugin: launcher "
                        + "defaults, JNA backend, start-up cache trained by a warm-up ADD of %d ms; test JVM %s): "
                        + "wall median %.0f ms (min %d, max %d), CPU median %.0f ms; wall %s; cpu %s; load average %s",
                CONTAINERS, all.get(0).wallMs(), Runtime.version(), median(wall), wall.stream().min(Long::compare)
                        .orElseThrow(), wall.stream().max(Long::compare).orElseThrow(), median(cpu), wall, cpu,
                Files.readString(Path.of("/proc/loadavg")).strip());
        LOG.info(report);
        Files.writeString(Path.of("target", "xmasq-cni-add-latency-" + Runtime.version().feature() + ".txt"),
                report + "\n");
    }

    private static double median(List<Long> values) {
        List<Long> s = new ArrayList<>(values);
        s.sort(null);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2.0;
    }
}
