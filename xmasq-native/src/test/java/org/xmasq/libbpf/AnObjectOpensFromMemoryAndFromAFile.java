package org.xmasq.libbpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xmasq.libbpf.support.OpenObject;
import org.xmasq.libbpf.support.TestObjects;

/** An object opens from bytes or a file, before any kernel work, and lists its programs and maps as the C declares. */
class AnObjectOpensFromMemoryAndFromAFile {
    private static final int BPF_PROG_TYPE_SCHED_CLS = 3;
    private static final int HASH = 1;
    private static final int ARRAY = 2;
    private static final int PERCPU_ARRAY = 6;
    private static final int LRU_HASH = 9;

    private final LibBpf lib = LibBpfs.get();

    @Test
    void fromMemoryTheNameIsTheOneGivenAndProgramsAndMapsAreListed() {
        try (OpenObject o = OpenObject.open(lib, TestObjects.TEST, "given_name")) {
            assertEquals("given_name", lib.objectName(o.handle()));
            assertEquals(List.of("count_packets", "drop_all"), o.programNames());
            for (String p : o.programNames()) {
                assertEquals("tc", lib.programSection(o.program(p)));
                assertEquals(BPF_PROG_TYPE_SCHED_CLS, lib.programType(o.program(p)));
                assertTrue(lib.programFd(o.program(p)) < 0, "no fd before load");
            }
            assertTrue(o.mapNames().containsAll(List.of("test_hash", "test_lru", "test_counters", "test_array")),
                    o.mapNames().toString());
            assertMap(o.map("test_hash"), HASH, 8, 32, 1024);
            assertMap(o.map("test_lru"), LRU_HASH, 4, 8, 256);
            assertMap(o.map("test_counters"), PERCPU_ARRAY, 4, 8, 4);
            assertMap(o.map("test_array"), ARRAY, 4, 8, 4);
            assertMap(o.rodata(), ARRAY, 4, 4, 1);
            assertTrue(lib.mapFd(o.map("test_hash")) < 0, "no fd before load");
        }
    }

    @Test
    void fromAFileTheNameIsTheFileNameUpToItsFirstDot(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("from_file.bpf.o");
        Files.write(file, TestObjects.bytes(TestObjects.TEST));
        long obj = lib.objectOpenFile(file.toString());
        assertTrue(obj > 0, "open_file returned " + obj);
        try {
            assertEquals("from_file", lib.objectName(obj), "libbpf drops everything after the first dot");
            List<String> progs = new ArrayList<>();
            for (long p = lib.objectNextProgram(obj, 0); p != 0; p = lib.objectNextProgram(obj, p)) {
                progs.add(lib.programName(p));
            }
            assertEquals(List.of("count_packets", "drop_all"), progs);
            int maps = 0;
            for (long m = lib.objectNextMap(obj, 0); m != 0; m = lib.objectNextMap(obj, m)) {
                maps++;
            }
            assertEquals(5, maps, "four declared maps and .rodata");
        } finally {
            lib.objectClose(obj);
        }
    }

    @Test
    void withoutANameLibbpfMakesOneUp() {
        ByteBuffer elf = TestObjects.direct(TestObjects.TEST);
        long obj = lib.objectOpenMem(lib.address(elf), elf.capacity(), null);
        assertTrue(obj > 0, "open_mem without a name returned " + obj);
        try {
            String name = lib.objectName(obj);
            assertTrue(name != null && !name.isEmpty(), "name " + name);
        } finally {
            lib.objectClose(obj);
        }
    }

    @Test
    void aMissingFileIsENOENT(@TempDir Path dir) {
        assertEquals(-Errno.ENOENT, lib.objectOpenFile(dir.resolve("absent.bpf.o").toString()));
    }

    @Test
    void bytesThatAreNotAnElfAreAnErrno() {
        ByteBuffer junk = TestObjects.buffer(256);
        for (int i = 0; i < 256; i++) {
            junk.put(i, (byte) i);
        }
        long rc = lib.objectOpenMem(lib.address(junk), 256, "junk");
        assertTrue(rc < 0 && rc > -4096, "open_mem of junk returned " + rc);
    }

    @Test
    void closeToleratesNull() {
        lib.objectClose(0);
    }

    private void assertMap(long map, int type, int keySize, int valueSize, int maxEntries) {
        String name = lib.mapName(map);
        assertEquals(type, lib.mapType(map), name);
        assertEquals(keySize, lib.mapKeySize(map), name);
        assertEquals(valueSize, lib.mapValueSize(map), name);
        assertEquals(maxEntries, lib.mapMaxEntries(map), name);
    }
}
