package org.xmasq.bpf.support;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Path;
import org.xmasq.libbpf.LibBpf;

/**
 * Two throwaway namespaces xmt-&lt;hex&gt;-a and -b joined by a veth pair (a: {@link #IF_A} {@link #ADDR_A}/24,
 * b: {@link #IF_B} {@link #ADDR_B}/24). Closing deletes both namespaces, and with them the veth, its qdiscs,
 * filters and tcx links.
 */
public final class TwoNamespaces implements AutoCloseable {
    public static final String IF_A = "xmta0";
    public static final String IF_B = "xmtb0";
    public static final String ADDR_A = "10.251.33.1";
    public static final String ADDR_B = "10.251.33.2";

    private final String a;
    private final String b;

    private TwoNamespaces(String base) {
        this.a = base + "-a";
        this.b = base + "-b";
    }

    public static TwoNamespaces create() {
        TwoNamespaces ns = new TwoNamespaces(Names.unique());
        try {
            Shell.check("ip", "netns", "add", ns.a);
            Shell.check("ip", "netns", "add", ns.b);
            Shell.check("ip", "-n", ns.a, "link", "add", IF_A, "type", "veth", "peer", "name", IF_B, "netns", ns.b);
            Shell.check("ip", "-n", ns.a, "addr", "add", ADDR_A + "/24", "dev", IF_A);
            Shell.check("ip", "-n", ns.b, "addr", "add", ADDR_B + "/24", "dev", IF_B);
            Shell.check("ip", "-n", ns.a, "link", "set", IF_A, "up");
            Shell.check("ip", "-n", ns.b, "link", "set", IF_B, "up");
            Shell.check("ip", "-n", ns.a, "link", "set", "lo", "up");
            Shell.check("ip", "-n", ns.b, "link", "set", "lo", "up");
            return ns;
        } catch (RuntimeException e) {
            ns.close();
            throw e;
        }
    }

    public String nameA() {
        return a;
    }

    public Path pathA() {
        return Path.of("/run/netns", a);
    }

    public Path pathB() {
        return Path.of("/run/netns", b);
    }

    /** Sends {@code count} UDP datagrams from b to a's address (discard port): they arrive at a's ingress. */
    public void sendUdpFromB(LibBpf lib, int count) {
        lib.inNetns(pathB(), () -> {
            try (DatagramSocket socket = new DatagramSocket()) {
                InetAddress dst = InetAddress.getByName(ADDR_A);
                byte[] payload = new byte[32];
                for (int i = 0; i < count; i++) {
                    socket.send(new DatagramPacket(payload, payload.length, dst, 9));
                    Thread.sleep(5);
                }
            }
            return null;
        });
    }

    /** tc filter show of a's interface at {@code direction} ("ingress" / "egress"). */
    public String filtersA(String direction) {
        return Shell.check("tc", "-n", a, "filter", "show", "dev", IF_A, direction);
    }

    @Override
    public void close() {
        Shell.run("ip", "netns", "del", a);
        Shell.run("ip", "netns", "del", b);
    }
}
