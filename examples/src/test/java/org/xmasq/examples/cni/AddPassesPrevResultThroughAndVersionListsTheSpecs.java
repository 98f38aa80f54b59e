package org.xmasq.examples.cni;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.xmasq.examples.json.Json;

/**
 * A chained plugin's ADD result is its prevResult, unchanged but for the config's cniVersion; DEL and CHECK print
 * nothing on success; VERSION lists the spec versions whose results the plugin reads.
 */
class AddPassesPrevResultThroughAndVersionListsTheSpecs {
    private final List<XMasqCni.Request> seen = new ArrayList<>();
    private final XMasqCni.Operations recording = new XMasqCni.Operations() {
        @Override
        public Map<String, Object> add(XMasqCni.Request req) {
            seen.add(req);
            return req.conf().prevResult();
        }

        @Override
        public void del(XMasqCni.Request req) {
            seen.add(req);
        }

        @Override
        public void check(XMasqCni.Request req) {
            seen.add(req);
        }
    };

    @Test
    @SuppressWarnings("unchecked")
    void addPrintsPrevResultWithTheConfigsVersion() {
        Cni.Outcome o = Cni.run(Cni.env("ADD"), Cni.conf("1.0.0", ", \"prevResult\": "
                + Cni.BRIDGE_RESULT.replace("\"cniVersion\": \"1.0.0\"", "\"cniVersion\": \"0.4.0\"")), recording);
        assertEquals(0, o.exitCode(), o.stdout());
        Map<String, Object> expected = new LinkedHashMap<>((Map<String, Object>) Json.parse(Cni.BRIDGE_RESULT));
        assertEquals(expected, o.json());
        assertEquals("1.0.0", o.json().get("cniVersion"));
        assertEquals(1, seen.size());
        assertEquals("0123abcd", seen.get(0).containerId());
        assertEquals("eth0", seen.get(0).ifName());
    }

    @Test
    void delAndCheckPrintNothingOnSuccess() {
        Cni.Outcome del = Cni.run(Cni.env("DEL"), Cni.conf("1.0.0", ""), recording);
        assertEquals(0, del.exitCode());
        assertEquals("", del.stdout());
        Cni.Outcome check = Cni.run(Cni.env("CHECK"), Cni.conf("1.0.0", ", \"prevResult\": " + Cni.BRIDGE_RESULT),
                recording);
        assertEquals(0, check.exitCode());
        assertEquals("", check.stdout());
        assertEquals(2, seen.size());
    }

    @Test
    void delNeedsNeitherNetnsNorPrevResult() {
        Map<String, String> env = Cni.env("DEL");
        env.remove("CNI_NETNS");
        assertEquals(0, Cni.run(env, Cni.conf("1.0.0", ""), recording).exitCode());
        assertEquals(1, seen.size());
    }

    @Test
    void versionListsTheSupportedSpecVersionsWithoutReadingAConfig() {
        Cni.Outcome o = Cni.run(Cni.env("VERSION"), "", Cni.UNREACHED);
        assertEquals(0, o.exitCode());
        assertEquals("1.0.0", o.json().get("cniVersion"));
        assertEquals(List.of("0.3.0", "0.3.1", "0.4.0", "1.0.0"), o.json().get("supportedVersions"));
        assertTrue(seen.isEmpty());
    }
}
