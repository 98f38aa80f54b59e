package org.xmasq.host;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.xmasq.libbpf.BpfException;
import org.xmasq.libbpf.Errno;
import org.xmasq.libbpf.LibBpf;
import org.xmasq.net.Ipv4Address;
import org.xmasq.net.MacAddress;

/**
 * {@link HostInterfaces} over rtnetlink through the native backend's socket calls: RTM_GETLINK by name or index
 * (index, MAC, link kind, a veth's peer) and a dump of the IPv4 addresses (RTM_GETADDR), which is what {@code ip -j -d addr show dev NAME} asks
 * the kernel, without running a process. A netlink socket belongs to the network namespace of the thread that
 * opens it, so this reads the calling thread's namespace, like iproute2 run from that thread (and unlike
 * /sys/class/net, which shows the namespace sysfs was mounted in).
 */
final class NetlinkInterfaces implements HostInterfaces {
    static final int AF_NETLINK = 16;
    static final int SOCK_RAW = 3;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int NETLINK_ROUTE = 0;
    static final int NLMSG_HDRLEN = 16;
    static final int NLMSG_ERROR = 2;
    static final int NLMSG_DONE = 3;
    static final int RTM_NEWLINK = 16;
    static final int RTM_GETLINK = 18;
    static final int RTM_NEWADDR = 20;
    static final int RTM_GETADDR = 22;
    static final int NLM_F_REQUEST = 1;
    static final int NLM_F_DUMP = 0x300;
    static final int IFLA_ADDRESS = 1;
    static final int IFLA_IFNAME = 3;
    static final int IFLA_LINK = 5;
    static final int IFLA_LINKINFO = 18;
    static final int IFLA_INFO_KIND = 1;
    static final int IFA_ADDRESS = 1;
    static final int IFA_LOCAL = 2;
    static final int AF_INET = 2;
    static final int IFINFOMSG_LEN = 16;
    static final int IFADDRMSG_LEN = 8;
    /** Attribute types carry NLA_F_NESTED / NLA_F_NET_BYTEORDER in their top bits. */
    static final int NLA_TYPE_MASK = 0x3fff;
    private static final int BUFFER = 64 * 1024;

    private final LibBpf lib;

    NetlinkInterfaces(LibBpf lib) {
        this.lib = Objects.requireNonNull(lib, "lib");
    }

    @Override
    public Optional<InterfaceInfo> find(String name) {
        Objects.requireNonNull(name, "name");
        if (!HostInterfaces.possibleName(name)) {
            return Optional.empty();
        }
        return query(linkRequest(name, 0, 1), "RTM_GETLINK " + name).map(this::withAddresses);
    }

    @Override
    public Optional<InterfaceInfo> find(int ifindex) {
        if (ifindex <= 0) {
            return Optional.empty();
        }
        return query(linkRequest(null, ifindex, 1), "RTM_GETLINK " + ifindex).map(this::withAddresses);
    }

    /** One RTM_GETLINK, without the address dump {@link #find(int)} adds. */
    @Override
    public Optional<String> nameOf(int ifindex) {
        if (ifindex <= 0) {
            return Optional.empty();
        }
        return query(linkRequest(null, ifindex, 1), "RTM_GETLINK " + ifindex).map(Link::name);
    }

    /**
     * The host-side end of a veth: RTM_GETLINK of {@code ifName} inside {@code netns} (a thread that joined it) gives
     * its peer's index (IFLA_LINK), which is looked up here, in the calling thread's namespace.
     */
    @Override
    public Optional<InterfaceInfo> vethPeer(Path netns, String ifName) {
        Objects.requireNonNull(netns, "netns");
        Objects.requireNonNull(ifName, "ifName");
        if (!HostInterfaces.possibleName(ifName)) {
            return Optional.empty();
        }
        Optional<Link> inside = lib.inNetns(netns, () -> query(linkRequest(ifName, 0, 1), "RTM_GETLINK " + ifName));
        if (inside.isEmpty() || !"veth".equals(inside.get().kind()) || inside.get().link() <= 0) {
            return Optional.empty();
        }
        return find(inside.get().link()).filter(InterfaceInfo::isVeth);
    }

    /** One RTM_GETLINK on a socket of the calling thread's namespace. */
    private Optional<Link> query(byte[] request, String what) {
        int fd = openSocket();
        try {
            ByteBuffer buf = ByteBuffer.allocateDirect(BUFFER).order(ByteOrder.nativeOrder());
            long address = lib.address(buf);
            send(fd, buf, address, request);
            int n = receive(fd, address, what);
            buf.limit(n);
            return parseLink(buf.slice().order(ByteOrder.nativeOrder()));
        } finally {
            lib.close(fd);
        }
    }

    /** The link with its IPv4 addresses (an RTM_GETADDR dump, filtered by its index as iproute2 does). */
    private InterfaceInfo withAddresses(Link l) {
        int fd = openSocket();
        try {
            ByteBuffer buf = ByteBuffer.allocateDirect(BUFFER).order(ByteOrder.nativeOrder());
            long address = lib.address(buf);
            send(fd, buf, address, addressDumpRequest(2));
            List<Ipv4Address> addrs = new ArrayList<>();
            while (true) {
                buf.clear();
                int n = receive(fd, address, "RTM_GETADDR dump");
                buf.limit(n);
                if (collectAddresses(buf.slice().order(ByteOrder.nativeOrder()), l.ifindex(), addrs)) {
                    break;
                }
            }
            return new InterfaceInfo(l.name(), l.ifindex(), l.kind(), l.mac(), addrs);
        } finally {
            lib.close(fd);
        }
    }

    private int openSocket() {
        int fd = lib.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
        if (fd < 0) {
            throw BpfException.of("socket(AF_NETLINK, NETLINK_ROUTE)", fd);
        }
        return fd;
    }

    private void send(int fd, ByteBuffer buf, long address, byte[] request) {
        buf.clear();
        buf.put(0, request);
        long n = lib.send(fd, address, request.length, 0);
        if (n < 0) {
            throw BpfException.of("send(netlink)", (int) n);
        }
    }

    private int receive(int fd, long address, String what) {
        long n = lib.recv(fd, address, BUFFER, 0);
        if (n < 0) {
            throw BpfException.of("recv(netlink, " + what + ")", (int) n);
        }
        return (int) n;
    }

    /** What a RTM_NEWLINK message says about a link; {@code link} is IFLA_LINK (a veth's peer index), or 0. */
    record Link(String name, int ifindex, String kind, MacAddress mac, int link) {
    }

    /** RTM_GETLINK for {@code name} (IFLA_IFNAME, index 0), or for {@code ifindex} when {@code name} is null. */
    static byte[] linkRequest(String name, int ifindex, int seq) {
        byte[] n = name == null ? new byte[0] : name.getBytes(StandardCharsets.UTF_8);
        int attrLen = 4 + n.length + 1;
        int len = NLMSG_HDRLEN + IFINFOMSG_LEN + (name == null ? 0 : align(attrLen));
        ByteBuffer b = ByteBuffer.allocate(len).order(ByteOrder.nativeOrder());
        b.putInt(len).putShort((short) RTM_GETLINK).putShort((short) NLM_F_REQUEST).putInt(seq).putInt(0);
        b.putInt(NLMSG_HDRLEN + 4, ifindex); // ifinfomsg: family AF_UNSPEC, then the index
        if (name != null) {
            b.position(NLMSG_HDRLEN + IFINFOMSG_LEN);
            b.putShort((short) attrLen).putShort((short) IFLA_IFNAME).put(n).put((byte) 0);
        }
        return b.array();
    }

    /** A dump of every IPv4 address (filtered by interface here, as iproute2 does). */
    static byte[] addressDumpRequest(int seq) {
        int len = NLMSG_HDRLEN + IFADDRMSG_LEN;
        ByteBuffer b = ByteBuffer.allocate(len).order(ByteOrder.nativeOrder());
        b.putInt(len).putShort((short) RTM_GETADDR).putShort((short) (NLM_F_REQUEST | NLM_F_DUMP)).putInt(seq)
                .putInt(0);
        b.put((byte) AF_INET);
        return b.array();
    }

    /** The reply to {@link #linkRequest}: the link, or empty when there is no such interface (ENODEV). */
    static Optional<Link> parseLink(ByteBuffer m) {
        int len = m.getInt(0);
        int type = m.getShort(4) & 0xffff;
        if (type == NLMSG_ERROR) {
            int error = m.getInt(NLMSG_HDRLEN);
            if (error == -Errno.ENODEV) {
                return Optional.empty();
            }
            throw BpfException.of("RTM_GETLINK", error < 0 ? error : -Errno.EINVAL);
        }
        if (type != RTM_NEWLINK || len > m.limit()) {
            throw new IllegalStateException("unexpected rtnetlink reply: type " + type + ", " + len + " of "
                    + m.limit() + " bytes");
        }
        int ifindex = m.getInt(NLMSG_HDRLEN + 4);
        String name = null;
        String kind = "";
        MacAddress mac = MacAddress.ZERO;
        int link = 0;
        for (int a = NLMSG_HDRLEN + IFINFOMSG_LEN; a + 4 <= len; a += align(m.getShort(a) & 0xffff)) {
            int alen = m.getShort(a) & 0xffff;
            if (alen < 4 || a + alen > len) {
                break;
            }
            int atype = m.getShort(a + 2) & NLA_TYPE_MASK;
            if (atype == IFLA_IFNAME) {
                name = string(m, a + 4, alen - 4);
            } else if (atype == IFLA_LINK && alen - 4 == 4) {
                link = m.getInt(a + 4);
            } else if (atype == IFLA_ADDRESS && alen - 4 == 6) {
                byte[] b = new byte[6];
                m.get(a + 4, b);
                mac = MacAddress.fromBytes(b);
            } else if (atype == IFLA_LINKINFO) {
                for (int i = a + 4; i + 4 <= a + alen; i += align(m.getShort(i) & 0xffff)) {
                    int ilen = m.getShort(i) & 0xffff;
                    if (ilen < 4 || i + ilen > a + alen) {
                        break;
                    }
                    if ((m.getShort(i + 2) & NLA_TYPE_MASK) == IFLA_INFO_KIND) {
                        kind = string(m, i + 4, ilen - 4);
                    }
                }
            }
        }
        if (name == null) {
            throw new IllegalStateException("rtnetlink link " + ifindex + " without a name");
        }
        return Optional.of(new Link(name, ifindex, kind, mac, link));
    }

    /**
     * Adds the IPv4 addresses of {@code ifindex} in one buffer of an RTM_GETADDR dump to {@code out}, in the kernel's
     * order (primary first). @return whether the dump is complete (NLMSG_DONE seen)
     */
    static boolean collectAddresses(ByteBuffer m, int ifindex, List<Ipv4Address> out) {
        for (int p = 0; p + NLMSG_HDRLEN <= m.limit(); ) {
            int len = m.getInt(p);
            int type = m.getShort(p + 4) & 0xffff;
            if (len < NLMSG_HDRLEN || p + len > m.limit()) {
                throw new IllegalStateException("truncated rtnetlink message (" + len + " bytes at " + p + ")");
            }
            if (type == NLMSG_DONE) {
                return true;
            }
            if (type == NLMSG_ERROR) {
                int error = m.getInt(p + NLMSG_HDRLEN);
                throw BpfException.of("RTM_GETADDR", error < 0 ? error : -Errno.EINVAL);
            }
            int body = p + NLMSG_HDRLEN;
            if (type == RTM_NEWADDR && (m.get(body) & 0xff) == AF_INET && m.getInt(body + 4) == ifindex) {
                Ipv4Address local = null;
                Ipv4Address address = null;
                for (int a = body + IFADDRMSG_LEN; a + 4 <= p + len; a += align(m.getShort(a) & 0xffff)) {
                    int alen = m.getShort(a) & 0xffff;
                    if (alen < 4 || a + alen > p + len) {
                        break;
                    }
                    int atype = m.getShort(a + 2) & NLA_TYPE_MASK;
                    if (alen == 8 && (atype == IFA_LOCAL || atype == IFA_ADDRESS)) {
                        byte[] b = new byte[4];
                        m.get(a + 4, b);
                        Ipv4Address v = Ipv4Address.fromBytes(b);
                        if (atype == IFA_LOCAL) {
                            local = v;
                        } else {
                            address = v;
                        }
                    }
                }
                // iproute2 shows IFA_LOCAL as "local", IFA_ADDRESS when there is no IFA_LOCAL
                Ipv4Address shown = local != null ? local : address;
                if (shown != null) {
                    out.add(shown);
                }
            }
            p += align(len);
        }
        return false;
    }

    private static String string(ByteBuffer m, int at, int max) {
        int end = at;
        while (end < at + max && m.get(end) != 0) {
            end++;
        }
        byte[] b = new byte[end - at];
        m.get(at, b);
        return new String(b, StandardCharsets.UTF_8);
    }

    static int align(int n) {
        return (n + 3) & ~3;
    }

    @Override
    public String namespace() {
        return HostInterfaces.threadNamespace();
    }
}
