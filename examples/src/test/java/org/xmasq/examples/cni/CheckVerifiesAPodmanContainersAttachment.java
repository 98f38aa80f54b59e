package org.xmasq.examples.cni;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.xmasq.examples.json.Json;
import org.xmasq.examples.testbed.Host;
import org.xmasq.net.Ipv4Address;

/**
 * CHECK, run through the installed plugin in the host's namespace as a runtime would: it passes for a container
 * podman started, and fails with code 102 once the container's registration is gone.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class CheckVerifiesAPodmanContainersAttachment {
    private static final String IP = "10.244.1.41";
    private static PodmanHosts p;
    private static Host h1;

    @BeforeAll
    static void up() throws Exception {
        p = PodmanHosts.start();
        h1 = p.tb.host(1);
        p.runContainer(h1, "checked", IP);
    }

    @AfterAll
    static void down() {
        if (p != null) {
            p.close();
        }
    }

    private static PodmanHosts.Result check(String veth) {
        String conf = "{\"cniVersion\": \"1.0.0\", \"name\": \"" + p.network(h1) + "\", \"type\": \"xmasq-cni\", "
                + "\"pinRoot\": \"" + p.pinRoot(h1) + "\", \"stateDir\": \"" + p.work.resolve("state-h1") + "\", "
                + "\"prevResult\": {\"cniVersion\": \"1.0.0\", \"interfaces\": [{\"name\": \"cni0\"}, "
                + "{\"name\": \"" + veth + "\"}, {\"name\": \"eth0\", \"sandbox\": \"/run/netns/unused\"}], "
                + "\"ips\": [{\"address\": \"" + IP + "/24\", \"interface\": 2}]}}";
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CNI_COMMAND", "CHECK");
        env.put("CNI_CONTAINERID", "check0");
        env.put("CNI_NETNS", "/run/netns/unused");
        env.put("CNI_IFNAME", "eth0");
        env.put("CNI_PATH", p.work.resolve("cni-bin").toString());
        try {
            java.nio.file.Path in = java.nio.file.Files.createTempFile(p.work, "check", ".json");
            java.nio.file.Files.writeString(in, conf);
            return PodmanHosts.run(Duration.ofSeconds(60), env, "sh", "-c", "exec nsenter --net="
                    + h1.netns().path() + " " + p.work.resolve("cni-bin/xmasq-cni.real") + " < " + in
                    + " 2>/dev/null");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void passesWhileAttachedAndFailsWith102OnceDetached() {
        int ifindex = p.node(h1).endpoints().lookup(Ipv4Address.parse(IP)).orElseThrow().ifindex();
        String veth = p.ifName(h1, ifindex);
        PodmanHosts.Result ok = check(veth);
        assertEquals(0, ok.rc(), ok.out());
        assertEquals("", ok.out().strip());

        p.node(h1).detachContainer(Ipv4Address.parse(IP));
        PodmanHosts.Result bad = check(veth);
        assertEquals(1, bad.rc(), bad.out());
        Object err = Json.parse(bad.out().strip());
        assertTrue(err instanceof Map<?, ?> m && Long.valueOf(102).equals(m.get("code"))
                && m.get("msg") instanceof String msg && msg.contains(IP), bad.out());
    }
}
