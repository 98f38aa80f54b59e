package org.xmasq.examples.testbed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Closing a testbed, or cleaning up its prefix after its owner died, removes every namespace it made. */
class TearDownLeavesNoNamespace {
    @Test
    void closeDeletesEveryNamespace() {
        Testbed tb = Testbed.create();
        String prefix = tb.prefix();
        try {
            assertEquals(6, Testbed.namespacesOf(prefix).size());
        } finally {
            tb.close();
        }
        assertEquals(List.of(), Testbed.namespacesOf(prefix));
        assertFalse(Testbed.prefixesInUse().contains(prefix));
    }

    @Test
    void cleanupByPrefixRemovesATestbedWithAProcessStillRunningInIt() throws Exception {
        Testbed tb = Testbed.create();
        String prefix = tb.prefix();
        Process sleeper = null;
        try {
            sleeper = tb.container(2, 2).netns().start(List.of("sleep", "60"));
            assertTrue(sleeper.isAlive());
            // What a crashed owner leaves: namespaces and a process in one of them; cleanup knows only the prefix.
            List<String> deleted = Testbed.cleanup(prefix);
            assertEquals(6, deleted.size());
            assertEquals(List.of(), Testbed.namespacesOf(prefix));
            assertTrue(sleeper.waitFor(5, TimeUnit.SECONDS), "the process inside was stopped");
        } finally {
            Netns.stop(sleeper);
            tb.close();
        }
        assertEquals(List.of(), Testbed.namespacesOf(prefix));
    }

    @Test
    void theSweepSparesALiveTestbed() {
        try (Testbed tb = Testbed.create()) {
            assertFalse(Testbed.sweepStale().contains(tb.prefix()));
            assertEquals(6, Testbed.namespacesOf(tb.prefix()).size());
        }
    }

    @Test
    void theSweepRemovesATestbedWhoseOwnerIsGone() {
        // A namespace under a generated-style prefix with no lock holder is what a killed owner leaves behind.
        String prefix = Testbed.newPrefix();
        Commands.check("ip", "netns", "add", prefix + "-h1");
        try {
            assertTrue(Testbed.sweepStale().contains(prefix));
            assertEquals(List.of(), Testbed.namespacesOf(prefix));
        } finally {
            Testbed.cleanup(prefix);
        }
    }
}
