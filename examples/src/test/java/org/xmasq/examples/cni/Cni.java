package org.xmasq.examples.cni;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.xmasq.examples.json.Json;

/** Runs one plugin invocation in-process and captures what the runtime would see. */
final class Cni {
    record Outcome(int exitCode, String stdout) {
        @SuppressWarnings("unchecked")
        Map<String, Object> json() {
            return (Map<String, Object>) Json.parse(stdout);
        }
    }

    static final String BRIDGE_RESULT = """
            {"cniVersion": "1.0.0",
             "interfaces": [{"name": "cni0", "mac": "5a:1c:00:00:00:01"},
                            {"name": "veth1234abcd", "mac": "5a:1c:00:00:00:02"},
                            {"name": "eth0", "mac": "5a:1c:00:00:00:03", "sandbox": "/run/netns/ctr"}],
             "ips": [{"address": "10.244.1.7/24", "gateway": "10.244.1.1", "interface": 2},
                     {"address": "fd00::7/64", "gateway": "fd00::1", "interface": 2}],
             "routes": [{"dst": "0.0.0.0/0"}],
             "dns": {}}""";

    static String conf(String version, String extra) {
        return "{\"cniVersion\": \"" + version + "\", \"name\": \"net\", \"type\": \"xmasq-cni\"" + extra + "}";
    }

    static Map<String, String> env(String command) {
        Map<String, String> env = new HashMap<>();
        env.put("CNI_COMMAND", command);
        env.put("CNI_CONTAINERID", "0123abcd");
        env.put("CNI_NETNS", "/run/netns/ctr");
        env.put("CNI_IFNAME", "eth0");
        env.put("CNI_PATH", "/opt/cni/bin");
        return env;
    }

    static Outcome run(Map<String, String> env, String stdin, XMasqCni.Operations ops) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int rc = XMasqCni.run(env, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), ops);
        return new Outcome(rc, out.toString(StandardCharsets.UTF_8));
    }

    /** Operations that must not be reached. */
    static final XMasqCni.Operations UNREACHED = new XMasqCni.Operations() {
        @Override
        public Map<String, Object> add(XMasqCni.Request req) {
            throw new AssertionError("ADD reached the node");
        }

        @Override
        public void del(XMasqCni.Request req) {
            throw new AssertionError("DEL reached the node");
        }

        @Override
        public void check(XMasqCni.Request req) {
            throw new AssertionError("CHECK reached the node");
        }
    };

    private Cni() {
    }
}
