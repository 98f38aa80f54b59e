package org.xmasq.examples.cli;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.xmasq.AttachedInterface;
import org.xmasq.XMasq;
import org.xmasq.datapath.EgressHeader;
import org.xmasq.datapath.EgressHost;
import org.xmasq.datapath.FilterEntry;
import org.xmasq.datapath.FlowKey;
import org.xmasq.datapath.HostDevice;
import org.xmasq.datapath.Stat;
import org.xmasq.datapath.TunnelHeader;
import org.xmasq.host.HostInterfaces;
import org.xmasq.net.Ipv4Address;

/**
 * What {@code xmasq show} prints: each view is a list of rows (ordered maps, the fields of the typed records plus the
 * map key and an interface name where an ifindex appears), or for the counters one map of name to value.
 */
final class Views {
    static final List<String> NAMES = List.of("endpoints", "egress", "filter", "devices", "interfaces", "stats");

    private final XMasq x;
    private final HostInterfaces interfaces;

    Views(XMasq x, HostInterfaces interfaces) {
        this.x = x;
        this.interfaces = interfaces;
    }

    /** The view called {@code name}: a list of rows, or for "stats" a map. */
    Object view(String name) {
        return switch (name) {
            case "endpoints" -> endpoints();
            case "egress" -> egress();
            case "filter" -> filter();
            case "devices" -> devices();
            case "interfaces" -> interfaces();
            case "stats" -> stats();
            default -> throw new UsageException("no view '" + name + "'");
        };
    }

    List<Map<String, Object>> endpoints() {
        List<Map<String, Object>> rows = new ArrayList<>();
        new TreeMap<>(x.endpoints().entries()).forEach((ip, ep) -> {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("ip", ip.toString());
            r.put("ifindex", ep.ifindex());
            r.put("interface", ifName(ep.ifindex()));
            r.put("containerMac", ep.containerMacKnown() ? ep.containerMac().toString() : null);
            r.put("gatewayMac", ep.gatewayMacKnown() ? ep.gatewayMac().toString() : null);
            r.put("flags", ep.flags());
            r.put("containerMacKnown", ep.containerMacKnown());
            r.put("gatewayMacKnown", ep.gatewayMacKnown());
            rows.add(r);
        });
        return rows;
    }

    /** Both levels of the egress cache: level 1 rows (container -> host), then level 2 rows (host -> header). */
    List<Map<String, Object>> egress() {
        List<Map<String, Object>> rows = new ArrayList<>();
        Map<Ipv4Address, EgressHost> l1 = new TreeMap<>(x.egressHosts().entries());
        l1.forEach((container, h) -> {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("level", 1);
            r.put("container", container.toString());
            r.put("hostAddress", h.hostAddress().toString());
            rows.add(r);
        });
        Map<Ipv4Address, EgressHeader> l2 = new TreeMap<>(x.egressHeaders().entries());
        l2.forEach((host, e) -> {
            TunnelHeader t = e.header();
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("level", 2);
            r.put("host", host.toString());
            r.put("ifindex", e.ifindex());
            r.put("interface", ifName(e.ifindex()));
            r.put("outerSourceMac", t.outerSourceMac().toString());
            r.put("outerDestinationMac", t.outerDestinationMac().toString());
            r.put("outerSourceAddress", t.outerSourceAddress().toString());
            r.put("outerDestinationAddress", t.outerDestinationAddress().toString());
            r.put("outerTtl", t.outerTtl());
            r.put("outerTos", t.outerTos());
            r.put("dontFragment", t.dontFragment());
            r.put("udpDestinationPort", t.udpDestinationPort());
            r.put("vni", t.vni());
            r.put("innerSourceMac", t.innerSourceMac().toString());
            r.put("innerDestinationMac", t.innerDestinationMac().toString());
            r.put("bytes", HexFormat.of().formatHex(t.bytes()));
            rows.add(r);
        });
        return rows;
    }

    List<Map<String, Object>> filter() {
        List<Map<String, Object>> rows = new ArrayList<>();
        Map<FlowKey, FilterEntry> all = new TreeMap<>((a, b) -> {
            int c = a.localAddress().compareTo(b.localAddress());
            c = c != 0 ? c : a.remoteAddress().compareTo(b.remoteAddress());
            c = c != 0 ? c : Integer.compare(a.protocol(), b.protocol());
            c = c != 0 ? c : Integer.compare(a.localPort(), b.localPort());
            return c != 0 ? c : Integer.compare(a.remotePort(), b.remotePort());
        });
        all.putAll(x.filterCache().entries());
        all.forEach((k, v) -> {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("localAddress", k.localAddress().toString());
            r.put("localPort", k.localPort());
            r.put("remoteAddress", k.remoteAddress().toString());
            r.put("remotePort", k.remotePort());
            r.put("protocol", k.protocol());
            r.put("protocolName", protocolName(k.protocol()));
            r.put("seen", v.seen());
            r.put("egressSeen", v.egressSeen());
            r.put("ingressSeen", v.ingressSeen());
            r.put("allowsFastPath", v.allowsFastPath());
            rows.add(r);
        });
        return rows;
    }

    List<Map<String, Object>> devices() {
        List<Map<String, Object>> rows = new ArrayList<>();
        new TreeMap<>(x.hostDevices().entries()).forEach((ifindex, d) -> {
            HostDevice dev = d;
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("ifindex", ifindex);
            r.put("interface", ifName(ifindex));
            r.put("address", dev.address().toString());
            r.put("mac", dev.mac().toString());
            r.put("vxlanPort", dev.vxlanPort() == 0 ? x.config().vxlanPort() : dev.vxlanPort());
            r.put("vni", dev.vni() == 0 ? x.config().vni() : dev.vni());
            rows.add(r);
        });
        return rows;
    }

    List<Map<String, Object>> interfaces() {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (AttachedInterface a : x.attachedInterfaces()) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("name", a.name());
            r.put("ifindex", a.ifindex());
            r.put("role", a.role().name().toLowerCase(java.util.Locale.ROOT));
            r.put("mode", a.mode().name().toLowerCase(java.util.Locale.ROOT));
            rows.add(r);
        }
        return rows;
    }

    /** Every counter, summed over CPUs, by its name ({@link Stat#name()}), in index order. */
    Map<String, Object> stats() {
        Map<String, Object> m = new LinkedHashMap<>();
        x.statisticsSnapshot().counters().forEach((s, v) -> m.put(s.name(), v));
        return m;
    }

    private String ifName(int ifindex) {
        return interfaces.nameOf(ifindex).orElse(null);
    }

    static String protocolName(int p) {
        return switch (p) {
            case FlowKey.PROTOCOL_ICMP -> "icmp";
            case FlowKey.PROTOCOL_TCP -> "tcp";
            case FlowKey.PROTOCOL_UDP -> "udp";
            default -> String.valueOf(p);
        };
    }

    /** A view as aligned text: a table for rows, "name value" lines for the counters. */
    static String text(String name, Object view) {
        StringBuilder b = new StringBuilder();
        if (view instanceof Map<?, ?> m) {
            int w = m.keySet().stream().mapToInt(k -> k.toString().length()).max().orElse(0);
            m.forEach((k, v) -> b.append(String.format("%-" + w + "s  %s%n", k, v)));
            return b.toString();
        }
        List<?> rows = (List<?>) view;
        if (rows.isEmpty()) {
            return "(no " + name + ")" + System.lineSeparator();
        }
        List<String> cols = new ArrayList<>();
        for (Object r : rows) {
            for (Object k : ((Map<?, ?>) r).keySet()) {
                if (!cols.contains(k.toString()) && !k.equals("bytes") && !k.toString().endsWith("Known")) {
                    cols.add(k.toString());
                }
            }
        }
        int[] width = new int[cols.size()];
        for (int i = 0; i < cols.size(); i++) {
            width[i] = cols.get(i).length();
            for (Object r : rows) {
                width[i] = Math.max(width[i], cell((Map<?, ?>) r, cols.get(i)).length());
            }
        }
        line(b, cols, width);
        for (Object r : rows) {
            List<String> cells = new ArrayList<>();
            for (String c : cols) {
                cells.add(cell((Map<?, ?>) r, c));
            }
            line(b, cells, width);
        }
        return b.toString();
    }

    private static String cell(Map<?, ?> row, String col) {
        if (!row.containsKey(col)) {
            return "";
        }
        Object v = row.get(col);
        return v == null ? "-" : v.toString();
    }

    private static void line(StringBuilder b, List<String> cells, int[] width) {
        StringBuilder l = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            l.append(String.format("%-" + width[i] + "s", cells.get(i)));
            if (i + 1 < cells.size()) {
                l.append("  ");
            }
        }
        b.append(l.toString().stripTrailing()).append(System.lineSeparator());
    }
}
