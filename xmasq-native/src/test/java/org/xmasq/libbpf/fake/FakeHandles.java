package org.xmasq.libbpf.fake;

import java.util.ArrayList;
import java.util.List;

/**
 * What {@link FakeLibBpf} models of libbpf itself: the objects, maps and programs behind the handles libbpf hands
 * out ({@code struct bpf_object *} etc.), before and after load. Guarded by the fake's lock.
 */
final class FakeHandles {
    private FakeHandles() {
    }

    static final class Obj {
        final long handle;
        final String name;
        final FakeObjectSpec spec;
        final List<ObjMap> maps = new ArrayList<>();
        final List<ObjProg> progs = new ArrayList<>();
        boolean loaded;

        Obj(long handle, String name, FakeObjectSpec spec) {
            this.handle = handle;
            this.name = name;
            this.spec = spec;
        }
    }

    static final class ObjMap {
        final long handle;
        final String name;
        final int type;
        final int keySize;
        final int valueSize;
        int maxEntries;
        final int flags;
        String pinPath;
        FakeMap reused;
        byte[] initialValue;
        FakeMap map;
        int fd = -1;

        ObjMap(long handle, String name, int type, int keySize, int valueSize, int maxEntries, int flags) {
            this.handle = handle;
            this.name = name;
            this.type = type;
            this.keySize = keySize;
            this.valueSize = valueSize;
            this.maxEntries = maxEntries;
            this.flags = flags;
        }
    }

    static final class ObjProg {
        final long handle;
        final FakeObjectSpec.ProgramDef def;
        int fd = -1;

        ObjProg(long handle, FakeObjectSpec.ProgramDef def) {
            this.handle = handle;
            this.def = def;
        }
    }
}
