package org.xmasq.examples.e2e;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One {@link Cluster} with XMasq up, shared by the test classes that only send traffic (building one costs a testbed
 * and six CLI runs). It lives in JUnit's root store, which closes it (deleting its namespaces and pins) when the
 * whole run ends, whether the tests passed or not. Classes that change the cluster build their own.
 */
final class SharedCluster implements BeforeAllCallback {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(SharedCluster.class);
    private static volatile Cluster current;

    @Override
    public void beforeAll(ExtensionContext context) {
        current = context.getRoot().getStore(NS).getOrComputeIfAbsent("cluster", k -> Cluster.withXMasq(),
                Cluster.class);
    }

    /** The shared cluster (the class must be annotated with {@code @ExtendWith(SharedCluster.class)}). */
    static Cluster get() {
        Cluster c = current;
        if (c == null) {
            throw new IllegalStateException("no shared cluster: @ExtendWith(SharedCluster.class) is missing");
        }
        return c;
    }
}
