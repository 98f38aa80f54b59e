package org.xmasq.examples.cni;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every failure is a CNI error object on stdout ({@code cniVersion}, {@code code}, {@code msg}, optional
 * {@code details}) with a non-zero exit status, and the code is the spec's: 1 incompatible version, 4 invalid
 * environment variables, 6 undecodable config, 7 invalid network config, 999 for anything unexpected.
 */
class FailuresAreCniErrorObjectsWithTheSpecsCodes {
    private static final String WITH_PREV = ", \"prevResult\": " + Cni.BRIDGE_RESULT;

    private static Map<String, Object> fails(Map<String, String> env, String stdin, long code) {
        Cni.Outcome o = Cni.run(env, stdin, Cni.UNREACHED);
        assertEquals(1, o.exitCode(), o.stdout());
        Map<String, Object> e = o.json();
        assertEquals(code, e.get("code"), o.stdout());
        assertTrue(e.get("msg") instanceof String m && !m.isBlank(), o.stdout());
        assertTrue(e.get("cniVersion") instanceof String, o.stdout());
        return e;
    }

    @Test
    void aMissingCommandIsCode4NamingTheVariable() {
        Map<String, String> env = Cni.env("ADD");
        env.remove("CNI_COMMAND");
        assertTrue(((String) fails(env, Cni.conf("1.0.0", WITH_PREV), 4).get("msg")).contains("CNI_COMMAND"));
    }

    @Test
    void anUnknownCommandIsCode4() {
        fails(Cni.env("FROB"), Cni.conf("1.0.0", WITH_PREV), 4);
    }

    @Test
    void aMissingOrMalformedContainerIdIsCode4() {
        Map<String, String> env = Cni.env("ADD");
        env.remove("CNI_CONTAINERID");
        assertTrue(((String) fails(env, Cni.conf("1.0.0", WITH_PREV), 4).get("msg")).contains("CNI_CONTAINERID"));
        env.put("CNI_CONTAINERID", "../etc/passwd");
        fails(env, Cni.conf("1.0.0", WITH_PREV), 4);
    }

    @Test
    void addWithoutNetnsIsCode4() {
        Map<String, String> env = Cni.env("ADD");
        env.remove("CNI_NETNS");
        assertTrue(((String) fails(env, Cni.conf("1.0.0", WITH_PREV), 4).get("msg")).contains("CNI_NETNS"));
    }

    @Test
    void aBadInterfaceNameIsCode4() {
        Map<String, String> env = Cni.env("DEL");
        env.put("CNI_IFNAME", "a/b");
        fails(env, Cni.conf("1.0.0", ""), 4);
    }

    @Test
    void configThatIsNotJsonIsCode6() {
        fails(Cni.env("ADD"), "{\"cniVersion\": \"1.0.0\",", 6);
        fails(Cni.env("ADD"), "[1, 2]", 6);
    }

    @Test
    void anUnsupportedVersionIsCode1WithTheConfigsVersion() {
        Map<String, Object> e = fails(Cni.env("ADD"), Cni.conf("0.2.0", WITH_PREV), 1);
        assertEquals("0.2.0", e.get("cniVersion"));
    }

    @Test
    void addWithoutPrevResultIsCode7() {
        Map<String, Object> e = fails(Cni.env("ADD"), Cni.conf("1.0.0", ""), 7);
        assertTrue(((String) e.get("msg")).contains("prevResult"), e.toString());
    }

    @Test
    void aRelativePinRootIsCode7() {
        fails(Cni.env("ADD"), Cni.conf("1.0.0", ", \"pinRoot\": \"sys/fs/bpf\"" + WITH_PREV), 7);
    }

    @Test
    void aNonStringPinRootIsCode7() {
        fails(Cni.env("ADD"), Cni.conf("1.0.0", ", \"pinRoot\": 5" + WITH_PREV), 7);
    }

    @Test
    void anUnexpectedFailureIsCode999WithItsMessage() {
        XMasqCni.Operations broken = new XMasqCni.Operations() {
            @Override
            public Map<String, Object> add(XMasqCni.Request req) {
                throw new IllegalStateException("boom");
            }

            @Override
            public void del(XMasqCni.Request req) {
            }

            @Override
            public void check(XMasqCni.Request req) {
            }
        };
        Cni.Outcome o = Cni.run(Cni.env("ADD"), Cni.conf("1.0.0", WITH_PREV), broken);
        assertEquals(1, o.exitCode());
        assertEquals(999L, o.json().get("code"));
        assertTrue(((String) o.json().get("msg")).contains("boom"), o.stdout());
    }

    @Test
    void aPluginErrorKeepsItsCodeAndDetails() {
        XMasqCni.Operations notUp = new XMasqCni.Operations() {
            @Override
            public Map<String, Object> add(XMasqCni.Request req) {
                throw new CniError(CniError.NODE_NOT_SET_UP, "not set up", "run xmasq up");
            }

            @Override
            public void del(XMasqCni.Request req) {
            }

            @Override
            public void check(XMasqCni.Request req) {
            }
        };
        Cni.Outcome o = Cni.run(Cni.env("ADD"), Cni.conf("0.4.0", WITH_PREV), notUp);
        assertEquals(Map.of("cniVersion", "0.4.0", "code", 100L, "msg", "not set up", "details", "run xmasq up"),
                o.json());
    }
}
