package org.xmasq.libbpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.xmasq.libbpf.support.OpenObject;
import org.xmasq.libbpf.support.PinDir;
import org.xmasq.libbpf.support.Shell;
import org.xmasq.libbpf.support.TestObjects;

/** A pinned map or program is the same kernel object when fetched back by path, and survives its creator's fds. */
class PinnedObjectsRoundTripThroughBpfFs {
    private final LibBpf lib = LibBpfs.get();

    @Test
    void aPinnedMapIsTheSameMapAfterObjGet() {
        try (PinDir pins = new PinDir(); OpenObject o = OpenObject.loadTest(lib)) {
            int fd = o.mapFd("test_array");
            String path = pins.resolve("test_array");
            assertEquals(0, lib.objPin(fd, path));
            assertTrue(Files.exists(Path.of(path)));
            int again = lib.objGet(path);
            assertTrue(again >= 0, "obj_get returned " + again);
            try {
                assertEquals(lib.mapInfo(fd).id(), lib.mapInfo(again).id());
                ByteBuffer key = TestObjects.buffer(4).putInt(0, 3);
                ByteBuffer value = TestObjects.buffer(8).putLong(0, 0xfeedL);
                assertEquals(0, lib.mapUpdate(fd, lib.address(key), lib.address(value), 0));
                ByteBuffer back = TestObjects.buffer(8);
                assertEquals(0, lib.mapLookup(again, lib.address(key), lib.address(back)));
                assertEquals(0xfeedL, back.getLong(0), "a write through one fd is seen through the other");
            } finally {
                lib.close(again);
            }
            assertEquals(-Errno.EEXIST, lib.objPin(fd, path), "a path holds one pin");
        }
    }

    @Test
    void aPinnedProgramOutlivesItsObject() {
        try (PinDir pins = new PinDir()) {
            String path = pins.resolve("drop_all");
            int id;
            try (OpenObject o = OpenObject.loadTest(lib)) {
                int fd = o.progFd("drop_all");
                id = lib.progInfo(fd).id();
                assertEquals(0, lib.objPin(fd, path));
            }
            int fd = lib.objGet(path);
            assertTrue(fd >= 0, "obj_get returned " + fd);
            try {
                assertEquals(id, lib.progInfo(fd).id());
            } finally {
                lib.close(fd);
            }
        }
    }

    @Test
    void aMapPinPathSetBeforeLoadPinsAndIsReusedByTheNextLoad() {
        try (PinDir pins = new PinDir()) {
            String path = pins.resolve("test_hash");
            int id;
            try (OpenObject first = OpenObject.openTest(lib)) {
                assertEquals(0, lib.mapSetPinPath(first.map("test_hash"), path));
                assertEquals(path, lib.mapPinPath(first.map("test_hash")));
                first.load();
                id = lib.mapInfo(first.mapFd("test_hash")).id();
                assertTrue(Files.exists(Path.of(path)), "libbpf pinned the map at load");
            }
            try (OpenObject second = OpenObject.openTest(lib)) {
                assertEquals(0, lib.mapSetPinPath(second.map("test_hash"), path));
                second.load();
                assertEquals(id, lib.mapInfo(second.mapFd("test_hash")).id(), "the pinned map was reused");
            }
        }
    }

    @Test
    void mapReuseFdMakesTheObjectUseAnExistingMap() {
        int fd = BpfException.check(lib.mapCreate(2, "xmt_reuse", 4, 8, 4, 0), "bpf_map_create");
        try (OpenObject o = OpenObject.openTest(lib)) {
            assertEquals(0, lib.mapReuseFd(o.map("test_array"), fd));
            o.load();
            assertEquals(lib.mapInfo(fd).id(), lib.mapInfo(o.mapFd("test_array")).id());
        } finally {
            lib.close(fd);
        }
    }

    @Test
    void aNonAsciiPinPathCrossesAsUtf8() {
        try (PinDir pins = new PinDir(); OpenObject o = OpenObject.loadTest(lib)) {
            String name = "z\u00fcrich-\u00e9t\u00e9";
            // Built as a String: java.nio.file.Path cannot hold this name when the JVM's path encoding is ASCII.
            String path = pins.path() + "/" + name;
            assertEquals(0, lib.objPin(o.mapFd("test_array"), path));
            String listed = Shell.check("ls", pins.path().toString());
            assertEquals(name, listed.strip(), "the file name on bpffs is the UTF-8 of the Java string");
            int fd = lib.objGet(path);
            assertTrue(fd >= 0, "obj_get of the same name returned " + fd);
            lib.close(fd);
        }
    }

    @Test
    void aPathWithNothingPinnedIsENOENT() {
        try (PinDir pins = new PinDir()) {
            assertEquals(-Errno.ENOENT, lib.objGet(pins.resolve("nothing")));
        }
    }

    @Test
    void aMapWithoutPinPathHasNone() {
        try (OpenObject o = OpenObject.openTest(lib)) {
            assertEquals(null, lib.mapPinPath(o.map("test_lru")));
        }
    }
}
