package org.xmasq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xmasq.datapath.Stat;
import org.xmasq.datapath.Statistics;
import org.xmasq.support.FakeHost;

class StatisticsAreSummedOverCpusAndSubtract {
    final FakeHost host = new FakeHost();
    final XMasq x = host.builder().open();

    @AfterEach
    void down() {
        x.down();
    }

    @Test
    void aCounterIsTheSumOfEveryCpusSlot() {
        var stats = x.statistics();
        assertEquals(0, stats.get(Stat.HIT_INGRESS));
        host.lib.setPossibleCpus(2);
        var raw = org.xmasq.bpf.PerCpuMap.open(host.lib, FakeHost.PIN_ROOT.resolve("maps/stats"),
                org.xmasq.datapath.DatapathObject.STAT_KEY, org.xmasq.datapath.DatapathObject.COUNTER);
        try (raw) {
            raw.put(Stat.HIT_INGRESS.index(), List.of(3L, 4L));
            raw.put(Stat.MISS_NO_ENDPOINT.index(), List.of(10L, 0L));
        }
        Statistics s = x.statisticsSnapshot();
        assertEquals(7, s.get(Stat.HIT_INGRESS));
        assertEquals(7, s.get("STAT_HIT_INGRESS"));
        assertEquals(7, s.get("hit_ingress"));
        assertEquals(7, stats.get("HIT_INGRESS"));
        assertEquals(7, s.hits());
        assertEquals(10, s.misses());
        assertEquals(Stat.COUNT, s.counters().size());
        assertThrows(IllegalArgumentException.class, () -> s.get("NO_SUCH_COUNTER"));

        stats.reset();
        assertEquals(0, x.statisticsSnapshot().hits());
    }

    @Test
    void aDeltaIsTheDifferenceOverTheElapsedTime() {
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        Statistics a = new Statistics(t0, Map.of(Stat.HIT_EGRESS_INTER_HOST, 100L, Stat.LEARN_EGRESS_HOST, 5L));
        Statistics b = new Statistics(t0.plusSeconds(2), Map.of(Stat.HIT_EGRESS_INTER_HOST, 300L,
                Stat.LEARN_EGRESS_HOST, 5L, Stat.MISS_NO_FILTER_ENTRY, 4L));

        Statistics.Delta d = b.since(a);

        assertEquals(Duration.ofSeconds(2), d.elapsed());
        assertEquals(200, d.get(Stat.HIT_EGRESS_INTER_HOST));
        assertEquals(0, d.get("LEARN_EGRESS_HOST"));
        assertEquals(4, d.misses());
        assertEquals(100.0, d.perSecond(Stat.HIT_EGRESS_INTER_HOST), 1e-9);
        assertEquals("Statistics.Delta[2000 ms, HIT_EGRESS_INTER_HOST=200, MISS_NO_FILTER_ENTRY=4]", d.toString());
    }
}
