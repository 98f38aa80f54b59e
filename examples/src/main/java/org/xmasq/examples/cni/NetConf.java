package org.xmasq.examples.cni;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.xmasq.PinLayout;
import org.xmasq.examples.json.Json;

/**
 * The plugin's network configuration from stdin: the common CNI fields, this plugin's own ({@code pinRoot}, where
 * xmasq up pinned the node's datapath; {@code stateDir}, where ADD notes what DEL must undo) and the previous
 * plugin's result.
 */
record NetConf(String cniVersion, String name, String type, Path pinRoot, Path stateDir,
               Map<String, Object> prevResult, Map<String, Object> raw) {
    static final Path DEFAULT_PIN_ROOT = PinLayout.DEFAULT_ROOT;
    static final Path DEFAULT_STATE_DIR = Path.of("/run/xmasq-cni");
    /** The spec versions whose result format (ips with interface indexes) this plugin reads. */
    static final List<String> SUPPORTED_VERSIONS = List.of("0.3.0", "0.3.1", "0.4.0", "1.0.0");

    @SuppressWarnings("unchecked")
    static NetConf parse(String text) {
        Object root;
        try {
            root = Json.parse(text);
        } catch (IllegalArgumentException e) {
            throw new CniError(CniError.DECODING_FAILURE, "the network configuration on stdin is not JSON",
                    e.getMessage());
        }
        if (!(root instanceof Map<?, ?>)) {
            throw new CniError(CniError.DECODING_FAILURE, "the network configuration on stdin is not a JSON object");
        }
        Map<String, Object> m = (Map<String, Object>) root;
        String version = string(m, "cniVersion", null);
        if (version == null) {
            throw new CniError(CniError.INVALID_NETWORK_CONFIG, "the network configuration has no cniVersion");
        }
        if (!SUPPORTED_VERSIONS.contains(version)) {
            throw new CniError(CniError.INCOMPATIBLE_VERSION, "xmasq-cni does not support cniVersion " + version,
                    "supported: " + String.join(", ", SUPPORTED_VERSIONS)).inVersion(version);
        }
        String pin = string(m, "pinRoot", DEFAULT_PIN_ROOT.toString());
        String state = string(m, "stateDir", DEFAULT_STATE_DIR.toString());
        for (String[] p : new String[][] {{"pinRoot", pin}, {"stateDir", state}}) {
            if (!p[1].startsWith("/")) {
                throw new CniError(CniError.INVALID_NETWORK_CONFIG, p[0] + " must be an absolute path",
                        p[0] + "=" + p[1]);
            }
        }
        Object prev = m.get("prevResult");
        if (prev != null && !(prev instanceof Map<?, ?>)) {
            throw new CniError(CniError.INVALID_NETWORK_CONFIG, "prevResult is not a JSON object");
        }
        return new NetConf(version, string(m, "name", ""), string(m, "type", ""), Path.of(pin).normalize(),
                Path.of(state).normalize(), (Map<String, Object>) prev, m);
    }

    private static String string(Map<String, Object> m, String key, String dflt) {
        Object v = m.get(key);
        if (v == null || v == Json.NULL) {
            return dflt;
        }
        if (!(v instanceof String s)) {
            throw new CniError(CniError.INVALID_NETWORK_CONFIG, "\"" + key + "\" must be a string", key + "=" + v);
        }
        return s;
    }

    /** One interface of the previous result. */
    record Interface(int index, String name, String sandbox) {
        boolean inContainer() {
            return sandbox != null && !sandbox.isEmpty();
        }
    }

    /** The interfaces listed in prevResult, in order (their index is what ips[].interface refers to). */
    List<Interface> interfaces() {
        List<Interface> out = new ArrayList<>();
        if (prevResult == null || !(prevResult.get("interfaces") instanceof List<?> l)) {
            return out;
        }
        for (int k = 0; k < l.size(); k++) {
            if (l.get(k) instanceof Map<?, ?> i && i.get("name") instanceof String n) {
                out.add(new Interface(k, n, i.get("sandbox") instanceof String s ? s : null));
            }
        }
        return out;
    }

    /**
     * The container's IPv4 addresses in prevResult (without prefix length): those of interface {@code ifName} in the
     * sandbox, or with no interface index when the previous plugin gave none.
     */
    List<String> containerIpv4(String ifName) {
        List<String> out = new ArrayList<>();
        if (prevResult == null || !(prevResult.get("ips") instanceof List<?> ips)) {
            return out;
        }
        List<Interface> ifs = interfaces();
        for (Object o : ips) {
            if (!(o instanceof Map<?, ?> ip) || !(ip.get("address") instanceof String a) || a.indexOf(':') >= 0) {
                continue;
            }
            // 0.3.x/0.4.0 also carry "version": "4"; IPv6 is left to the slow path
            if (ip.get("interface") instanceof Long idx) {
                Interface itf = idx >= 0 && idx < ifs.size() ? ifs.get(idx.intValue()) : null;
                if (itf == null || !itf.inContainer() || (ifName != null && !ifName.equals(itf.name()))) {
                    continue;
                }
            }
            String addr = a.contains("/") ? a.substring(0, a.indexOf('/')) : a;
            if (!out.contains(addr)) {
                out.add(addr);
            }
        }
        return out;
    }

    /** Host-side interfaces named in prevResult (no sandbox): the host veth is one of them, the bridge another. */
    List<String> hostInterfaceNames() {
        List<String> out = new ArrayList<>();
        for (Interface i : interfaces()) {
            if (!i.inContainer()) {
                out.add(i.name());
            }
        }
        return out;
    }
}
