package org.xmasq.examples.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmasq.XMasq;
import org.xmasq.datapath.Stat;
import org.xmasq.examples.testbed.Container;
import org.xmasq.examples.testbed.Host;
import org.xmasq.examples.testbed.Testbed;
import org.xmasq.libbpf.LibBpf;
import org.xmasq.libbpf.LibBpfs;
import org.xmasq.net.Ipv4Address;

/**
 * The third configuration: one XMasq instance per node, opened on a thread inside the node's namespace with its own
 * pin root ({@code /sys/fs/bpf/PREFIX-h1}, ...), the underlay NIC attached as the host NIC and every container's
 * host-side veth attached with its IP. {@link Acceleration#close()} calls {@code down()} on each: detached, pins gone,
 * the plain overlay left.
 */
public final class XMasqAccelerator implements Accelerator {
    private static final Logger LOG = LoggerFactory.getLogger(XMasqAccelerator.class);
    private final LibBpf lib;
    private final boolean ingressGso;

    public XMasqAccelerator() {
        this(LibBpfs.get(), false);
    }

    public XMasqAccelerator(LibBpf lib) {
        this(lib, false);
    }

    /** {@code ingressGso}: the instances decapsulate GSO packets on ingress too ({@code XMasqBuilder.ingressGso}). */
    public XMasqAccelerator(LibBpf lib, boolean ingressGso) {
        this.lib = lib;
        this.ingressGso = ingressGso;
    }

    /** The pin root of {@code host}'s instance: inside the testbed's prefix, so Testbed.cleanup removes leftovers. */
    public static Path pinRoot(Testbed tb, Host host) {
        return Path.of("/sys/fs/bpf", tb.prefix() + "-" + host.name());
    }

    @Override
    public String describe() {
        return "XMasq per node: attachHost(" + Testbed.NIC + "), attachContainer(vethcN, ip) for each container"
                + (ingressGso ? ", ingress GSO decapsulation on" : "");
    }

    @Override
    public Acceleration accelerate(Testbed tb) {
        List<Node> nodes = new ArrayList<>();
        try {
            for (Host host : tb.hosts()) {
                Path pins = pinRoot(tb, host);
                XMasq x = lib.inNetns(host.netns().path(), () -> {
                    XMasq m = XMasq.builder().pinRoot(pins).libBpf(lib).ingressGso(ingressGso).open();
                    try {
                        m.attachHost(host.nic());
                        for (Container c : tb.containersOf(host)) {
                            m.attachContainer(c.hostVeth(), Ipv4Address.parse(c.ip()));
                        }
                        return m;
                    } catch (RuntimeException e) {
                        m.down();
                        throw e;
                    }
                });
                nodes.add(new Node(host, x));
            }
        } catch (RuntimeException e) {
            down(nodes);
            throw e;
        }
        return new Acceleration() {
            private boolean closed;

            @Override
            public Map<String, Long> counters() {
                Map<String, Long> sum = new TreeMap<>();
                for (Node n : nodes) {
                    for (Map.Entry<Stat, Long> e : n.xmasq.statisticsSnapshot().counters().entrySet()) {
                        sum.merge(e.getKey().name(), e.getValue(), Long::sum);
                    }
                }
                return sum;
            }

            @Override
            public synchronized void close() {
                if (!closed) {
                    closed = true;
                    down(nodes);
                }
            }
        };
    }

    private void down(List<Node> nodes) {
        RuntimeException first = null;
        for (Node n : nodes) {
            try {
                lib.inNetns(n.host.netns().path(), () -> {
                    n.xmasq.down();
                    return null;
                });
            } catch (RuntimeException e) {
                LOG.warn("XMasq down on {} failed: {}", n.host.name(), e.toString());
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private record Node(Host host, XMasq xmasq) {
    }
}
