package org.xmasq.examples.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.xmasq.AttachedInterface;
import org.xmasq.DuplicateEndpointException;
import org.xmasq.IncompatibleInstanceException;
import org.xmasq.InstanceDownException;
import org.xmasq.PinLayout;
import org.xmasq.XMasq;
import org.xmasq.datapath.DatapathConfig;
import org.xmasq.datapath.Endpoint;
import org.xmasq.examples.json.Json;
import org.xmasq.host.HostInterfaces;
import org.xmasq.host.InterfaceInfo;
import org.xmasq.net.Ipv4Address;

/**
 * The {@code xmasq} command (bin/xmasq): manages the XMasq instance of the network namespace it is started in. Each
 * run is a short-lived process that opens (or re-adopts) the instance pinned under the pin root, does one thing, and
 * closes it (never {@code down()}, except for {@code xmasq down}): all state lives in the pins, so it works under
 * {@code nsenter --net=/run/netns/NAME}, and two "hosts" on one kernel simply use two pin roots.
 *
 * <p>Exit status: 0 on success, 2 on bad usage, 1 on failure, with one line on standard error.
 */
public final class Main {
    /** {@link PinLayout#DEFAULT_ROOT} as text (PinLayout, unlike XMasq, initialises no logger). */
    static final String DEFAULT_PIN_ROOT = PinLayout.DEFAULT_ROOT.toString();
    private static final DatapathConfig DEFAULTS = DatapathConfig.DEFAULTS;
    static final int OK = 0;
    static final int FAILURE = 1;
    static final int USAGE = 2;

    private static final String PIN_ROOT_HELP =
            "  --pin-root DIR     where the instance is pinned (default " + DEFAULT_PIN_ROOT + ")\n";

    static final String HELP = """
            usage: xmasq COMMAND [OPTIONS]    (xmasq COMMAND --help for its options)

            Manages the XMasq eBPF fast path of the network namespace it runs in. State lives only in pins
            (default """ + DEFAULT_PIN_ROOT + """
            ), so every command is a short-lived process; to act on another namespace
            use nsenter --net=/run/netns/NAME xmasq ... (not ip netns exec, which hides /sys/fs/bpf).

            commands:
              up     load the datapath (or re-adopt the running one) and attach the host NIC
              add    attach a container's host-side veth and register its IP
              del    unregister a container IP (its fast path stops at once)
              show   print the endpoints, egress caches, filter cache, host devices, attachments or counters
              flush  forget learned filter entries, or everything learned
              evict  forget a remote container (gone or moved) or a remote host (gone, or its MAC/IP changed)
              down   detach everything and remove the pins (the plain overlay carries on)

            exit status: 0 success, 1 failure, 2 bad usage
            environment: XMASQ_LOG=info|debug for the SDK's log on standard error
            """;

    private static final Map<String, String> COMMAND_HELP = Map.of(
            "up", """
                    usage: xmasq up --nic IF [--vxlan-port N] [--vni N] [--pin-root DIR] [--require-est]
                                    [--no-intra-host] [--ingress-gso]
                    Loads the datapath and attaches the host NIC IF (its TC ingress and egress). When an instance is
                    pinned already it is re-adopted (caches and attachments kept) and IF attached or refreshed: up is
                    idempotent. Options that differ from the running instance's settings are an error (xmasq down
                    first).
                      --nic IF           the overlay's underlay NIC (the VXLAN device's lower device)
                      --vxlan-port N     the overlay's VXLAN UDP port (default """ + DEFAULTS.vxlanPort() + """
                    , Flannel's)
                      --vni N            the overlay's VNI (default """ + DEFAULTS.vni() + """
                    )
                    """ + PIN_ROOT_HELP + """
                      --require-est      learn only from connections conntrack calls established (installs the
                                         netfilter rule that marks them)
                      --no-intra-host    leave container-to-container traffic on this host to the overlay
                      --ingress-gso      decapsulate GSO packets (GRO aggregates) on the fast path too; on kernels
                                         without BPF_F_ADJ_ROOM_DECAP_L4_UDP they keep their tunnel GSO state:
                                         only for containers that do not forward traffic to a NIC with UDP
                                         tunnel segmentation offload (see the datapath README)
                    """,
            "add", """
                    usage: xmasq add --veth IF --ip A.B.C.D [--replace] [--pin-root DIR]
                    Container added: attaches the fast path to its host-side veth IF and registers its IP.
                      --veth IF          the host-side end of the container's veth pair
                      --ip A.B.C.D       the container's overlay address
                      --replace          the IP now belongs to this container even if registered on another veth
                                         (a reused IP: the old veth never gets its traffic again)
                    """ + PIN_ROOT_HELP,
            "del", """
                    usage: xmasq del --ip A.B.C.D [--pin-root DIR]
                    Container deleted: unregisters the IP, drops its filter entries and detaches its veth when no
                    other registered IP uses it. The fast path for the IP stops before the command returns.
                    """ + PIN_ROOT_HELP,
            "show", """
                    usage: xmasq show [endpoints|egress|filter|devices|interfaces|stats] [--json] [--pin-root DIR]
                    Prints one view of the running instance, or all of them.
                      endpoints   local container IPs, their veths and learned MACs
                      egress      level 1 (remote container -> remote host) and level 2 (remote host -> header)
                      filter      the filter cache (flows and the directions the overlay was seen to carry)
                      devices     the host NICs (address, MAC, VXLAN port, VNI)
                      interfaces  the interfaces programs are attached to
                      stats       the counters, summed over CPUs
                      --json      JSON: an array of objects per view, one object name -> number for stats
                    """ + PIN_ROOT_HELP,
            "flush", """
                    usage: xmasq flush [filter|all] [--pin-root DIR]
                    filter (the default): forgets the filter cache, so every flow is checked by the overlay again
                    (after a policy change). all: also forgets both egress cache levels and learned MACs. Flows
                    relearn within a round trip; registrations and attachments stay.
                    """ + PIN_ROOT_HELP,
            "evict", """
                    usage: xmasq evict (--container A.B.C.D | --host A.B.C.D) [--pin-root DIR]
                      --container IP     a remote container is gone or moved: drops its level-1 egress entry
                      --host IP          a remote host is gone or its MAC/IP changed: drops its level-2 entry and
                                         every level-1 entry pointing to it
                    Run it on every host; the fast path relearns from the overlay.
                    """ + PIN_ROOT_HELP,
            "down", """
                    usage: xmasq down [--pin-root DIR]
                    Detaches every program, removes the netfilter rule and the pins; the plain overlay carries on.
                    Nothing pinned there is not an error.
                    """ + PIN_ROOT_HELP);

    private final PrintStream out;
    private final PrintStream err;

    Main(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        // before any class that holds a logger (XMasq) is initialised: slf4j-simple reads its settings once
        configureLogging();
        int status = new Main(System.out, System.err).run(args);
        System.out.flush();
        System.exit(status);
    }

    /** The SDK logs through slf4j-simple to standard error: quiet unless XMASQ_LOG asks (before any logger). */
    static void configureLogging() {
        String key = "org.slf4j.simpleLogger.defaultLogLevel";
        if (System.getProperty(key) == null) {
            String level = System.getenv("XMASQ_LOG");
            System.setProperty(key, level == null || level.isBlank() ? "off" : level.strip());
        }
    }

    /** Runs one command line; returns the exit status. */
    int run(String... argv) {
        List<String> args = Arrays.asList(argv);
        if (args.isEmpty()) {
            err.print(HELP);
            return USAGE;
        }
        String cmd = args.get(0);
        if (cmd.equals("--help") || cmd.equals("-h") || cmd.equals("help")) {
            if (args.size() > 1 && COMMAND_HELP.containsKey(args.get(1))) {
                out.print(COMMAND_HELP.get(args.get(1)));
            } else {
                out.print(HELP);
            }
            return OK;
        }
        if (!COMMAND_HELP.containsKey(cmd)) {
            err.println("xmasq: unknown command '" + cmd + "' (xmasq --help lists them)");
            return USAGE;
        }
        List<String> rest = args.subList(1, args.size());
        if (rest.contains("--help") || rest.contains("-h")) {
            out.print(COMMAND_HELP.get(cmd));
            return OK;
        }
        try {
            return switch (cmd) {
                case "up" -> up(Args.parse(cmd, rest, Set.of("nic", "vxlan-port", "vni", "pin-root"),
                        Set.of("require-est", "no-intra-host", "ingress-gso")));
                case "add" -> add(Args.parse(cmd, rest, Set.of("veth", "ip", "pin-root"), Set.of("replace")));
                case "del" -> del(Args.parse(cmd, rest, Set.of("ip", "pin-root"), Set.of()));
                case "show" -> show(Args.parse(cmd, rest, Set.of("pin-root"), Set.of("json")));
                case "flush" -> flush(Args.parse(cmd, rest, Set.of("pin-root"), Set.of()));
                case "evict" -> evict(Args.parse(cmd, rest, Set.of("container", "host", "pin-root"), Set.of()));
                case "down" -> down(Args.parse(cmd, rest, Set.of("pin-root"), Set.of()));
                default -> throw new IllegalStateException(cmd);
            };
        } catch (UsageException e) {
            err.println("xmasq " + cmd + ": " + e.getMessage() + " (xmasq " + cmd + " --help)");
            return USAGE;
        } catch (InstanceDownException e) {
            err.println("xmasq " + cmd + ": " + oneLine(e.getMessage()) + " (start it with xmasq up)");
            return FAILURE;
        } catch (IncompatibleInstanceException e) {
            err.println("xmasq " + cmd + ": the instance at " + e.pinRoot() + " runs with other settings or another"
                    + " SDK version (" + String.join("; ", e.differences()) + "); xmasq down first");
            return FAILURE;
        } catch (RuntimeException | Error e) {
            err.println("xmasq " + cmd + ": " + describe(e));
            if (System.getenv("XMASQ_LOG") != null) {
                e.printStackTrace(err);
            }
            return FAILURE;
        }
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            m = e.getClass().getSimpleName();
        }
        return oneLine(m);
    }

    /** The first line of a message (a verifier log follows it on the next lines). */
    private static String oneLine(String m) {
        int nl = m.indexOf('\n');
        return (nl < 0 ? m : m.substring(0, nl)).strip();
    }

    private static Path pinRoot(Args a) {
        return Path.of(a.get("pin-root", DEFAULT_PIN_ROOT)).toAbsolutePath().normalize();
    }

    private static String interfaceName(Args a, String option) {
        String n = a.required(option);
        if (!HostInterfaces.possibleName(n)) {
            throw new UsageException("--" + option + " '" + n + "' is not an interface name");
        }
        return n;
    }

    private static Ipv4Address ip(Args a) {
        return address(a, "ip");
    }

    private static Ipv4Address address(Args a, String option) {
        String v = a.required(option);
        try {
            return Ipv4Address.parse(v);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--" + option + " '" + v + "' is not an IPv4 address");
        }
    }

    private static XMasq openPinned(Path root) {
        return XMasq.builder().pinRoot(root).openPinned();
    }

    int up(Args a) {
        a.noPositional();
        String nic = interfaceName(a, "nic");
        int port = a.intOption("vxlan-port", DEFAULTS.vxlanPort(), 1, 65535);
        int vni = a.intOption("vni", DEFAULTS.vni(), 0, 0xffffff);
        boolean requireEst = a.has("require-est");
        Path root = pinRoot(a);
        try (XMasq x = XMasq.builder().pinRoot(root).vxlanPort(port).vni(vni).requireEst(requireEst)
                .installEstRule(requireEst).intraHost(!a.has("no-intra-host")).ingressGso(a.has("ingress-gso"))
                .open()) {
            AttachedInterface nicNow;
            try {
                nicNow = x.attachHost(nic);
            } catch (RuntimeException e) {
                if (!x.readopted()) {
                    x.down(); // a first up that failed leaves nothing behind
                }
                throw e;
            }
            out.println("xmasq up: " + (x.readopted() ? "re-adopted" : "loaded") + " at " + root + "; host NIC "
                    + nicNow.name() + " (ifindex " + nicNow.ifindex() + ", " + mode(nicNow) + "), "
                    + x.endpoints().size() + " endpoints");
        }
        return OK;
    }

    int add(Args a) {
        a.noPositional();
        String veth = interfaceName(a, "veth");
        Ipv4Address ip = ip(a);
        try (XMasq x = openPinned(pinRoot(a))) {
            AttachedInterface att;
            String how;
            try {
                att = x.attachContainer(veth, ip);
                how = "added";
            } catch (DuplicateEndpointException e) {
                int vethIndex = HostInterfaces.netlink().find(veth).map(InterfaceInfo::ifindex).orElse(0);
                if (e.ifindex() != vethIndex && !a.has("replace")) {
                    throw e;
                }
                // the same veth (perhaps a new one that got the old ifindex), or a reused IP taken over: the new
                // registration wins and the veth's programs are checked and attached again
                att = x.reassignContainer(veth, ip);
                how = e.ifindex() == vethIndex ? "already added (checked)" : "reassigned from ifindex " + e.ifindex();
            }
            out.println("xmasq add: " + ip + " on " + att.name() + " (ifindex " + att.ifindex() + ", " + mode(att)
                    + ") " + how);
        }
        return OK;
    }

    int del(Args a) {
        a.noPositional();
        Ipv4Address ip = ip(a);
        Path root = pinRoot(a);
        try (XMasq x = openPinned(root)) {
            Optional<Endpoint> ep = x.endpoints().lookup(ip);
            if (!x.detachContainer(ip)) {
                err.println("xmasq del: " + ip + " is not registered at " + root);
                return FAILURE;
            }
            out.println("xmasq del: " + ip + " removed (was on ifindex " + ep.map(Endpoint::ifindex).orElse(0) + ")");
        }
        return OK;
    }

    int show(Args a) {
        String view = a.word(Views.NAMES, null);
        boolean json = a.has("json");
        try (XMasq x = openPinned(pinRoot(a))) {
            Views v = new Views(x, HostInterfaces.netlink());
            if (view != null) {
                Object data = v.view(view);
                out.print(json ? Json.write(data) + System.lineSeparator() : Views.text(view, data));
                return OK;
            }
            Map<String, Object> all = new LinkedHashMap<>();
            for (String n : Views.NAMES) {
                all.put(n, v.view(n));
            }
            if (json) {
                out.println(Json.write(all));
            } else {
                out.println("XMasq at " + x.pinRoot() + ": " + x.config());
                all.forEach((n, d) -> {
                    out.println();
                    out.println("== " + n);
                    out.print(Views.text(n, d));
                });
            }
        }
        return OK;
    }

    int flush(Args a) {
        String what = a.word(List.of("filter", "all"), "filter");
        try (XMasq x = openPinned(pinRoot(a))) {
            if (what.equals("filter")) {
                int n = x.flushFilter();
                out.println("xmasq flush: " + n + " filter entries dropped");
            } else {
                x.flushAll();
                out.println("xmasq flush: filter cache, egress caches and learned MACs forgotten");
            }
        }
        return OK;
    }

    int evict(Args a) {
        a.noPositional();
        if (a.has("container") == a.has("host")) {
            throw new UsageException("give exactly one of --container and --host");
        }
        String option = a.has("container") ? "container" : "host";
        Ipv4Address ip = address(a, option);
        try (XMasq x = openPinned(pinRoot(a))) {
            if (option.equals("container")) {
                out.println("xmasq evict: " + (x.evictRemoteContainer(ip) ? "dropped" : "no") + " level-1 entry for "
                        + ip);
            } else {
                out.println("xmasq evict: " + x.evictRemoteHost(ip) + " entries for host " + ip + " dropped");
            }
        }
        return OK;
    }

    int down(Args a) {
        a.noPositional();
        Path root = pinRoot(a);
        // from the pins alone, whichever SDK version pinned them: nothing is loaded only to be taken away
        if (!XMasq.teardown(root)) {
            out.println("xmasq down: nothing pinned at " + root);
            return OK;
        }
        out.println("xmasq down: detached and unpinned " + root);
        return OK;
    }

    private static String mode(AttachedInterface a) {
        return a.mode().name().toLowerCase(java.util.Locale.ROOT);
    }
}
