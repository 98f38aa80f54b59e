package org.xmasq.examples.bench;

import java.util.Map;
import org.xmasq.examples.testbed.Scope;

/** The numbers one test produced in one round. */
public record Measurement(int round, Config config, Scope scope, Workload workload, Map<Metric, Double> values) {
    public Measurement {
        values = Map.copyOf(values);
    }
}
