package org.xmasq.bpf;

import java.lang.reflect.Proxy;
import org.xmasq.libbpf.LibBpf;

/** A LibBpf that is not the fake and must never be called (for code paths that should not reach native code). */
final class NoLibBpf {
    private NoLibBpf() {
    }

    static LibBpf create() {
        return (LibBpf) Proxy.newProxyInstance(LibBpf.class.getClassLoader(), new Class<?>[] {LibBpf.class},
                (proxy, method, args) -> {
                    throw new AssertionError("unexpected native call: " + method.getName());
                });
    }
}
