package org.xmasq.bpf.support;

import org.xmasq.bpf.BpfObject;
import org.xmasq.bpf.BpfObjectSpec;
import org.xmasq.libbpf.fake.FakeLibBpf;
import org.xmasq.libbpf.fake.FakeObjectSpec;

/** A fake kernel that knows an object shaped like xmasq_test.bpf.o, and two interfaces. */
public final class FakeObjects {
    public static final String NAME = "xmasq_test";
    /** The fake does not parse ELF; any bytes do. */
    public static final byte[] ELF = {0x7f, 'E', 'L', 'F', 2, 1, 1, 0};
    public static final int ETH0 = 2;
    public static final int VETH0 = 7;

    private FakeObjects() {
    }

    public static FakeObjectSpec.Builder testObject() {
        return FakeObjectSpec.builder()
                .map("test_hash", FakeLibBpf.MAP_HASH, 8, 32, 1024)
                .map("test_lru", FakeLibBpf.MAP_LRU_HASH, 4, 8, 256)
                .map("test_counters", FakeLibBpf.MAP_PERCPU_ARRAY, 4, 8, 4)
                .map("test_array", FakeLibBpf.MAP_ARRAY, 4, 8, 4)
                .rodata(4)
                .program("count_packets", "tc", FakeLibBpf.PROG_SCHED_CLS)
                .program("drop_all", "tc", FakeLibBpf.PROG_SCHED_CLS);
    }

    public static FakeLibBpf fake() {
        FakeLibBpf fake = new FakeLibBpf();
        fake.registerObject(NAME, testObject().build());
        fake.addInterface("eth0", ETH0);
        fake.addInterface("veth0", VETH0);
        return fake;
    }

    public static BpfObjectSpec open(FakeLibBpf fake) {
        return BpfObjectSpec.fromBytes(fake, ELF, NAME);
    }

    public static BpfObject load(FakeLibBpf fake) {
        return open(fake).load();
    }
}
