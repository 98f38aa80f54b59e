package org.xmasq.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.xmasq.XMasq;
import org.xmasq.libbpf.support.Shell;

/**
 * With installEstRule the instance adds one mangle/FORWARD rule (iptables here) in the namespace it runs in, and
 * only there; a re-adopting instance does not add a second one; down() removes it.
 */
class TheEstRuleLivesInTheDatapathsNamespaceUntilDown {
    private static long rulesTagged(HostNamespace host, String tag) {
        String out = Shell.check("nsenter", "--net=" + host.ns.path(), "iptables", "-w", "-t", "mangle", "-S",
                "FORWARD");
        return Arrays.stream(out.split("\n")).filter(l -> l.contains(tag) && l.contains("ESTABLISHED")
                && l.contains("0x4000000")).count();
    }

    @Test
    void installedOnceKeptAcrossARestartRemovedByDown() {
        assumeTrue(Shell.run("iptables", "--version").exitCode() == 0, "this machine has no iptables");
        try (HostNamespace host = new HostNamespace()) {
            String tag = org.xmasq.XMasqTags.ruleTag(host.pinRoot());
            XMasq first = host.call(() -> host.builder().installEstRule(true).requireEst(true).open());
            XMasq second = null;
            try {
                assertEquals(1, rulesTagged(host, tag));
                assertFalse(Shell.check("iptables", "-w", "-t", "mangle", "-S", "FORWARD").contains(tag),
                        "the rule went into the host's namespace instead of the datapath's");
                assertTrue(host.call(() -> first.estRule().isInstalled()));
                first.close();
                assertEquals(1, rulesTagged(host, tag), "close() keeps the rule");

                second = host.call(() -> host.builder().installEstRule(true).requireEst(true).open());
                assertEquals(1, rulesTagged(host, tag));
                XMasq x = second;
                host.call(() -> {
                    x.down();
                    return null;
                });
                assertEquals(0, rulesTagged(host, tag));
            } finally {
                KernelRestartKeepsCachesRegistrationsAndAttachments.downQuietly(host, first);
                KernelRestartKeepsCachesRegistrationsAndAttachments.downQuietly(host, second);
            }
        }
    }
}
