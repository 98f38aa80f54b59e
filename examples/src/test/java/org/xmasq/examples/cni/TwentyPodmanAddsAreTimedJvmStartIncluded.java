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
        List<Long> all = p.pluginTimes("ADD");
        assertEquals(1, warm, "the warm-up ADD");
        assertEquals(CONTAINERS + 1, all.size(), "one timed, successful ADD per container");
        List<Long> times = all.subList(1, all.size());
        List<Long> sorted = new ArrayList<>(times);
        sorted.sort(null);
        double median = (sorted.get(CONTAINERS / 2 - 1) + sorted.get(CONTAINERS / 2)) / 2.0;
        String report = String.format("xmasq-cni ADD over %d podman containers (JVM %s, %s backend, JVM start "
                        + "included; the warm-up ADD that trained the start-up cache took %d ms): median %.0f ms, "
                        + "min %d ms, max %d ms, all %s; load average %s",
                CONTAINERS, Runtime.version(), System.getProperty("xmasq.libbpf", "default"), all.get(0), median, sorted.get(0),
                sorted.get(CONTAINERS - 1), times, Files.readString(Path.of("/proc/loadavg")).strip());
        LOG.info(report);
        Files.writeString(Path.of("target", "xmasq-cni-add-latency-" + Runtime.version().feature() + ".txt"),
                report + "\n");
    }
}
