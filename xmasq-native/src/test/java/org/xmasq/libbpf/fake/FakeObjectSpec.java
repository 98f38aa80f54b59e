package org.xmasq.libbpf.fake;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a BPF object file would contain, described in code because the fake cannot parse ELF. Register one with
 * {@link FakeLibBpf#registerObject}; {@code objectOpenMem} (by object name) and {@code objectOpenFile} (by path or
 * file name) then open it.
 *
 * <pre>{@code
 * fake.registerObject("xmasq_test", FakeObjectSpec.builder()
 *         .map("test_hash", FakeLibBpf.MAP_HASH, 8, 32, 1024)
 *         .rodata(4)
 *         .program("count_packets", "tc", FakeLibBpf.PROG_SCHED_CLS)
 *         .build());
 * }</pre>
 */
public final class FakeObjectSpec {
    /** One map definition. {@code flags} are the map_flags. */
    public record MapDef(String name, int type, int keySize, int valueSize, int maxEntries, int flags) {
        public MapDef {
            Objects.requireNonNull(name, "name");
        }
    }

    /** One program: its function name, ELF section and enum bpf_prog_type. */
    public record ProgramDef(String name, String section, int type) {
        public ProgramDef {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(section, "section");
        }
    }

    private final List<MapDef> maps;
    private final int rodataSize;
    private final List<ProgramDef> programs;
    private final int loadErrno;
    private final String loadLog;

    private FakeObjectSpec(Builder b) {
        this.maps = List.copyOf(b.maps);
        this.rodataSize = b.rodataSize;
        this.programs = List.copyOf(b.programs);
        this.loadErrno = b.loadErrno;
        this.loadLog = b.loadLog;
    }

    public static Builder builder() {
        return new Builder();
    }

    public List<MapDef> maps() {
        return maps;
    }

    /** Size of the .rodata section, 0 when the object has none. */
    public int rodataSize() {
        return rodataSize;
    }

    public List<ProgramDef> programs() {
        return programs;
    }

    /** The errno bpf_object__load fails with (positive), 0 when it succeeds. */
    public int loadErrno() {
        return loadErrno;
    }

    /** What libbpf "prints" when the load fails. */
    public String loadLog() {
        return loadLog;
    }

    public static final class Builder {
        private final List<MapDef> maps = new ArrayList<>();
        private final List<ProgramDef> programs = new ArrayList<>();
        private int rodataSize;
        private int loadErrno;
        private String loadLog = "";

        private Builder() {
        }

        public Builder map(String name, int type, int keySize, int valueSize, int maxEntries) {
            return map(name, type, keySize, valueSize, maxEntries, 0);
        }

        public Builder map(String name, int type, int keySize, int valueSize, int maxEntries, int flags) {
            maps.add(new MapDef(name, type, keySize, valueSize, maxEntries, flags));
            return this;
        }

        /** Adds a .rodata section of {@code size} bytes (an internal ARRAY map "<name[:8]>.rodata", initially zero). */
        public Builder rodata(int size) {
            if (size <= 0) {
                throw new IllegalArgumentException("rodata size must be > 0");
            }
            this.rodataSize = size;
            return this;
        }

        public Builder program(String name, String section, int type) {
            programs.add(new ProgramDef(name, section, type));
            return this;
        }

        /** Makes bpf_object__load fail with {@code errno}, after libbpf "printed" {@code log} (a verifier log). */
        public Builder failLoad(int errno, String log) {
            if (errno <= 0) {
                throw new IllegalArgumentException("errno must be positive");
            }
            this.loadErrno = errno;
            this.loadLog = log == null ? "" : log;
            return this;
        }

        public FakeObjectSpec build() {
            return new FakeObjectSpec(this);
        }
    }
}
