package org.xmasq.libbpf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.xmasq.libbpf.support.OpenObject;
import org.xmasq.libbpf.support.TestObjects;

/** A per-CPU map value is possibleCpus() slots of the value size (8-byte aligned), read and written whole. */
class PerCpuValuesHaveOneSlotPerPossibleCpu {
    private final LibBpf lib = LibBpfs.get();

    @Test
    void everyCpuSlotIsWrittenAndReadBack() {
        int cpus = lib.possibleCpus();
        try (OpenObject o = OpenObject.loadTest(lib)) {
            int fd = o.mapFd("test_counters");
            ByteBuffer key = TestObjects.buffer(4).putInt(0, 2);
            ByteBuffer values = TestObjects.buffer(cpus * 8);
            for (int c = 0; c < cpus; c++) {
                values.putLong(c * 8, 1000L + c);
            }
            assertEquals(0, lib.mapUpdate(fd, lib.address(key), lib.address(values), 0));
            ByteBuffer back = TestObjects.buffer(cpus * 8);
            assertEquals(0, lib.mapLookup(fd, lib.address(key), lib.address(back)));
            for (int c = 0; c < cpus; c++) {
                assertEquals(1000L + c, back.getLong(c * 8), "cpu " + c);
            }
            assertEquals(cpus * 1000L + (long) cpus * (cpus - 1) / 2, o.perCpuSum("test_counters", 2));
        }
    }
}
