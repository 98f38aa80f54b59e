package org.xmasq.datapath;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.xmasq.bpf.BpfObjectSpec;
import org.xmasq.libbpf.LibBpfs;

/** DatapathConfig's codec writes every .rodata variable where the object has it, and its defaults are the object's. */
class TheConfigurationIsTheObjectsRodata {
    @Test
    void theDefaultsEncodeToTheCompiledRodata() {
        try (BpfObjectSpec spec = BpfObjectSpec.fromResource(LibBpfs.get(), DatapathObject.RESOURCE)) {
            assertEquals(DatapathConfig.RODATA.size(), spec.rodataSize());
            assertArrayEquals(spec.rodata(), DatapathConfig.DEFAULTS.rodata());
            assertEquals(DatapathConfig.DEFAULTS, DatapathConfig.RODATA.decode(ByteBuffer.wrap(spec.rodata()), 0));
        }
    }

    @Test
    void openWritesTheGivenConfiguration() {
        DatapathConfig config = DatapathConfig.DEFAULTS.withMarks(0x10, 0x20, 0x40).withRequireEst(true)
                .withVxlan(4789, 42).withIntraHost(false).withSourcePortRange(1000, 2000).withIngressGso(true);
        try (BpfObjectSpec spec = DatapathObject.open(LibBpfs.get(), config)) {
            assertArrayEquals(config.rodata(), spec.rodata());
            assertEquals(config, DatapathConfig.RODATA.decode(ByteBuffer.wrap(spec.rodata()), 0));
        }
    }
}
