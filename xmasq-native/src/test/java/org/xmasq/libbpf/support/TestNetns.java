package org.xmasq.libbpf.support;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Path;
import org.xmasq.libbpf.LibBpf;

/**
 * Two throwaway network namespaces joined by a veth pair: {@code a} holds {@link #IF_A} ({@link #ADDR_A}/24),
 * {@code b} holds {@link #IF_B} ({@link #ADDR_B}/24). Closing deletes both namespaces, which removes the veth
 * and every TC filter and tcx link on it. Traffic stays between the two namespaces.
 */
public final class TestNetns implements AutoCloseable {
    public static final String IF_A = "xmta";
    public static final String IF_B = "xmtb";
    public static final String ADDR_A = "10.250.77.1";
    public static final String ADDR_B = "10.250.77.2";

    private final String a;
    private final String b;

    private TestNetns(String a, String b) {
        this.a = a;
        this.b = b;
    }

    /** Creates both namespaces and the veth, up and addressed; removes whatever it made if a step fails. */
    public static TestNetns create() {
        String base = Names.unique();
        TestNetns ns = new TestNetns(base + "-a", base + "-b");
        try {
            Shell.check("ip", "netns", "add", ns.a);
            Shell.check("ip", "netns", "add", ns.b);
            Shell.check("ip", "-n", ns.a, "link", "add", IF_A, "type", "veth", "peer", "name", IF_B, "netns", ns.b);
            Shell.check("ip", "-n", ns.a, "addr", "add", ADDR_A + "/24", "dev", IF_A);
            Shell.check("ip", "-n", ns.b, "addr", "add", ADDR_B + "/24", "dev", IF_B);
            for (String[] nsIf : new String[][] {{ns.a, IF_A}, {ns.b, IF_B}, {ns.a, "lo"}, {ns.b, "lo"}}) {
                Shell.check("ip", "-n", nsIf[0], "link", "set", nsIf[1], "up");
            }
            return ns;
        } catch (RuntimeException e) {
            ns.close();
            throw e;
        }
    }

    public String nameA() {
        return a;
    }

    public String nameB() {
        return b;
    }

    public Path pathA() {
        return Path.of("/run/netns", a);
    }

    public Path pathB() {
        return Path.of("/run/netns", b);
    }

    /**
     * Sends {@code count} UDP datagrams from namespace b to {@link #ADDR_A} (port 9, discard), from a thread inside
     * b. Nothing needs to answer: the packets cross the veth and arrive at a's ingress.
     */
    public void sendUdpFromB(LibBpf lib, int count) {
        lib.inNetns(pathB(), () -> {
            try (DatagramSocket socket = new DatagramSocket()) {
                InetAddress dst = InetAddress.getByName(ADDR_A);
                byte[] payload = new byte[32];
                for (int i = 0; i < count; i++) {
                    socket.send(new DatagramPacket(payload, payload.length, dst, 9));
                    Thread.sleep(10);
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
