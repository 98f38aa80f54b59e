package org.xmasq.libbpf.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** The BPF objects of the xmasq-bpf test-jar, read from the classpath. */
public final class TestObjects {
    /** Maps and programs, sockets and cfg_mark: see xmasq-bpf/src/test/c/xmasq_test.bpf.c. */
    public static final String TEST = "org/xmasq/bpf/test/xmasq_test.bpf.o";
    /** One program the verifier rejects. */
    public static final String REJECTED = "org/xmasq/bpf/test/xmasq_rejected.bpf.o";

    private TestObjects() {
    }

    public static byte[] bytes(String resource) {
        try (InputStream in = TestObjects.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the test classpath (xmasq-bpf test-jar)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The resource in a direct buffer, as bpf_object__open_mem wants it. */
    public static ByteBuffer direct(String resource) {
        byte[] b = bytes(resource);
        return ByteBuffer.allocateDirect(b.length).put(b).flip();
    }

    /** A zero-filled direct buffer in native byte order. */
    public static ByteBuffer buffer(int size) {
        return ByteBuffer.allocateDirect(size).order(ByteOrder.nativeOrder());
    }
}
