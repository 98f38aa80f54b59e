package org.xmasq.kernel;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.xmasq.XMasq;
import org.xmasq.XMasqBuilder;
import org.xmasq.libbpf.LibBpf;
import org.xmasq.libbpf.LibBpfs;
import org.xmasq.libbpf.support.PinDir;
import org.xmasq.testing.Netns;

/**
 * A throwaway "host" namespace (xmt&lt;hex&gt;) with a NIC nic0 (10.1.0.1/24, its peer underlay0 stays bare), the
 * host-side veths of two containers (veth1, veth2; peers ctr1, ctr2 stay in the namespace, which is enough for
 * attaching), a veth nic9 without IPv4 and a bridge br9; plus a unique pin root. XMasq runs on the namespace's
 * thread ({@link #call}), as an agent would in the host's namespace. Closing downs nothing: tests do that.
 */
final class HostNamespace implements AutoCloseable {
    final LibBpf lib = LibBpfs.get();
    final Netns ns;
    final PinDir pins = PinDir.notCreated();

    HostNamespace() {
        ns = Netns.create(lib);
        try {
            ns.ip("link", "add", "nic0", "type", "veth", "peer", "name", "underlay0");
            ns.ip("addr", "add", "10.1.0.1/24", "dev", "nic0");
            ns.ip("link", "add", "veth1", "type", "veth", "peer", "name", "ctr1");
            ns.ip("link", "add", "veth2", "type", "veth", "peer", "name", "ctr2");
            ns.ip("link", "add", "nic9", "type", "veth", "peer", "name", "nic9peer");
            ns.ip("link", "add", "br9", "type", "bridge");
            for (String d : new String[] {"nic0", "underlay0", "veth1", "ctr1", "veth2", "ctr2", "br9"}) {
                ns.ip("link", "set", d, "up");
            }
        } catch (RuntimeException e) {
            ns.close();
            throw e;
        }
    }

    Path pinRoot() {
        return pins.path();
    }

    XMasqBuilder builder() {
        return XMasq.builder().libBpf(lib).pinRoot(pins.path());
    }

    <T> T call(Callable<T> task) {
        return ns.call(task);
    }

    int ifindex(String name) {
        return ns.call(() -> lib.ifNameToIndex(name));
    }

    String ip(String... args) {
        return ns.ip(args);
    }

    /** tc's listing of the classic filters on {@code dev} in {@code direction}. */
    String tcFilters(String dev, String direction) {
        return Netns.run("tc", "-n", ns.name(), "filter", "show", "dev", dev, direction);
    }

    boolean pinRootExists() {
        return Files.exists(pins.path());
    }

    @Override
    public void close() {
        try {
            ns.close();
        } finally {
            pins.close();
        }
    }
}
