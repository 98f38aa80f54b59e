package org.xmasq.host;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.xmasq.net.Ipv4Address;
import org.xmasq.net.MacAddress;

/**
 * The reference the netlink reader is checked against: iproute2's {@code ip -j -d addr show dev NAME}, run from the
 * calling thread (so in its namespace). /sys/class/net is not used: sysfs shows the namespace it was mounted in, not
 * the calling thread's.
 */
public final class IpRoute2Interfaces {
    private final CommandRunner runner;

    public static IpRoute2Interfaces system() {
        return new IpRoute2Interfaces(CommandRunner.system());
    }

    IpRoute2Interfaces(CommandRunner runner) {
        this.runner = Objects.requireNonNull(runner, "runner");
    }

    public Optional<InterfaceInfo> find(String name) {
        Objects.requireNonNull(name, "name");
        if (!HostInterfaces.possibleName(name)) {
            return Optional.empty();
        }
        CommandRunner.Result r = runner.run(List.of("ip", "-j", "-d", "addr", "show", "dev", name));
        if (r.exitCode() == -1) {
            throw new IllegalStateException("cannot run iproute2's ip: " + r.output());
        }
        if (!r.ok()) {
            return Optional.empty(); // "Device does not exist"
        }
        return parse(r.output());
    }

    @SuppressWarnings("unchecked")
    static Optional<InterfaceInfo> parse(String json) {
        Object root = Json.parse(json.strip());
        if (!(root instanceof List<?> list) || list.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> dev = (Map<String, Object>) list.get(0);
        String name = (String) dev.get("ifname");
        int ifindex = ((Double) dev.get("ifindex")).intValue();
        String kind = "";
        if (dev.get("linkinfo") instanceof Map<?, ?> li && li.get("info_kind") instanceof String k) {
            kind = k;
        }
        MacAddress mac = MacAddress.ZERO;
        if (dev.get("address") instanceof String a && a.length() == 17) {
            mac = MacAddress.parse(a);
        }
        List<Ipv4Address> addrs = new ArrayList<>();
        if (dev.get("addr_info") instanceof List<?> infos) {
            for (Object o : infos) {
                Map<String, Object> ai = (Map<String, Object>) o;
                if ("inet".equals(ai.get("family")) && ai.get("local") instanceof String local) {
                    addrs.add(Ipv4Address.parse(local));
                }
            }
        }
        return Optional.of(new InterfaceInfo(name, ifindex, kind, mac, addrs));
    }

    public String namespace() {
        return HostInterfaces.threadNamespace();
    }
}
