package org.xmasq.examples.cni;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmasq.examples.json.Json;
import org.xmasq.host.HostInterfaces;

/**
 * {@code xmasq-cni}: a chained CNI plugin (spec 1.0.0, also reading 0.3.x/0.4.0 results) that puts a container on
 * the node's XMasq fast path. It runs after the plugins that made the container's network (bridge + host-local):
 * ADD registers the container's IPv4 addresses from prevResult on its host-side veth and attaches the container
 * programs, then passes prevResult on; DEL undoes that and succeeds when there is nothing left; CHECK verifies it.
 * The node's datapath ({@code xmasq up}) must exist at {@code pinRoot}; this plugin never sets a node up.
 *
 * <p>The runtime gives the command in CNI_COMMAND and the config on stdin; the result or a CNI error object goes to
 * stdout, logs to stderr.
 */
public final class XMasqCni {
    private static final Logger LOG = LoggerFactory.getLogger(XMasqCni.class);
    static final String SPEC_VERSION = "1.0.0";
    /** The spec's container ID: alphanumerics first, then alphanumerics, underscore, dot and hyphen. */
    static final Pattern CONTAINER_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.\\-]*");
    private static final int MAX_STDIN = 1 << 20;

    private XMasqCni() {
    }

    public static void main(String[] args) {
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true,
                StandardCharsets.UTF_8);
        int rc = run(System.getenv(), System.in, out, new ContainerOps());
        out.flush();
        System.exit(rc);
    }

    /** One invocation; returns the exit status (0, or 1 after an error object was written). */
    static int run(Map<String, String> env, InputStream stdin, PrintStream out, Operations ops) {
        String version = SPEC_VERSION;
        String command = env.getOrDefault("CNI_COMMAND", "");
        try {
            if (command.isEmpty()) {
                throw new CniError(CniError.INVALID_ENVIRONMENT, "CNI_COMMAND is not set",
                        "CNI_COMMAND must be ADD, DEL, CHECK or VERSION");
            }
            if (command.equals("VERSION")) {
                out.print(versionInfo());
                return 0;
            }
            if (!List.of("ADD", "DEL", "CHECK").contains(command)) {
                throw new CniError(CniError.INVALID_ENVIRONMENT, "CNI_COMMAND " + command + " is not supported",
                        "CNI_COMMAND must be ADD, DEL, CHECK or VERSION");
            }
            NetConf conf = NetConf.parse(readStdin(stdin));
            version = conf.cniVersion();
            Request req = Request.from(command, env, conf);
            long t0 = System.nanoTime();
            switch (command) {
                case "ADD" -> out.print(Json.write(passThrough(conf, ops.add(req))));
                case "DEL" -> ops.del(req);
                default -> ops.check(req);
            }
            LOG.debug("{} {} done in {} ms", command, req.containerId(), (System.nanoTime() - t0) / 1_000_000);
            return 0;
        } catch (CniError e) {
            LOG.warn("{} failed: {} ({})", command, e.getMessage(), e.details());
            out.print(e.toJson(version));
            return 1;
        } catch (RuntimeException | Error e) {
            LOG.error("{} failed", command, e);
            out.print(new CniError(CniError.INTERNAL, "xmasq-cni " + command + " failed: " + e, "").toJson(version));
            return 1;
        }
    }

    /** What the runtime gave the plugin, checked. */
    record Request(String command, String containerId, String netns, String ifName, NetConf conf) {
        static Request from(String command, Map<String, String> env, NetConf conf) {
            String id = env.getOrDefault("CNI_CONTAINERID", "");
            String netns = env.getOrDefault("CNI_NETNS", "");
            String ifName = env.getOrDefault("CNI_IFNAME", "");
            if (!CONTAINER_ID.matcher(id).matches()) {
                throw new CniError(CniError.INVALID_ENVIRONMENT, id.isEmpty() ? "CNI_CONTAINERID is not set"
                        : "CNI_CONTAINERID is not a valid container ID", "CNI_CONTAINERID=" + id);
            }
            if (!HostInterfaces.possibleName(ifName)) {
                throw new CniError(CniError.INVALID_ENVIRONMENT, ifName.isEmpty() ? "CNI_IFNAME is not set"
                        : "CNI_IFNAME is not a valid interface name", "CNI_IFNAME=" + ifName);
            }
            if (!command.equals("DEL") && netns.isEmpty()) {
                throw new CniError(CniError.INVALID_ENVIRONMENT, "CNI_NETNS is not set", "CNI_NETNS is required for "
                        + command);
            }
            if (!command.equals("DEL") && conf.prevResult() == null) {
                throw new CniError(CniError.INVALID_NETWORK_CONFIG, "no prevResult: xmasq-cni is a chained plugin",
                        "put it after the plugins that create the interface and assign the IP (e.g. bridge + "
                                + "host-local) in a conflist");
            }
            return new Request(command, id, netns, ifName, conf);
        }
    }

    /** What the plugin does to the node; {@link ContainerOps} is the real one. */
    interface Operations {
        /** Attaches the container; returns the result to pass on (prevResult). */
        Map<String, Object> add(Request req);

        void del(Request req);

        void check(Request req);
    }

    /** prevResult, unchanged except that it is given the config's cniVersion, as a chained plugin's result. */
    static Map<String, Object> passThrough(NetConf conf, Map<String, Object> result) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("cniVersion", conf.cniVersion());
        result.forEach((k, v) -> {
            if (!k.equals("cniVersion")) {
                out.put(k, v);
            }
        });
        return out;
    }

    static String versionInfo() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cniVersion", SPEC_VERSION);
        m.put("supportedVersions", List.copyOf(NetConf.SUPPORTED_VERSIONS));
        return Json.write(m);
    }

    private static String readStdin(InputStream in) {
        try {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) > 0) {
                b.write(buf, 0, n);
                if (b.size() > MAX_STDIN) {
                    throw new CniError(CniError.IO_FAILURE, "the network configuration on stdin exceeds 1 MiB");
                }
            }
            return b.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CniError(CniError.IO_FAILURE, "cannot read the network configuration from stdin",
                    e.getMessage());
        }
    }
}
