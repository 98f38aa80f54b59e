package org.xmasq.host;

import java.util.Optional;
import org.xmasq.libbpf.LibBpf;

/**
 * Reads interfaces of the network namespace the calling thread is in. The default ({@link #netlink}) asks the kernel
 * over rtnetlink, {@link #ipRoute2()} asks iproute2 (a process per call); tests and embedders can supply another.
 */
public interface HostInterfaces {
    /** The interface named {@code name} in the calling thread's namespace, or empty when there is none. */
    Optional<InterfaceInfo> find(String name);

    /** Names the calling thread's network namespace for messages (e.g. "net:[4026531840]"). */
    String namespace();

    /** iproute2's {@code ip -j -d addr show dev NAME}, run from the calling thread (so in its namespace). */
    static HostInterfaces ipRoute2() {
        return new IpRoute2Interfaces(CommandRunner.system());
    }

    /**
     * rtnetlink (RTM_GETLINK, RTM_GETADDR) through {@code lib}'s socket calls, from the calling thread (so in its
     * namespace): what {@link #ipRoute2()} reports, without running a process.
     */
    static HostInterfaces netlink(LibBpf lib) {
        return new NetlinkInterfaces(lib);
    }

    /** Whether {@code name} can name an interface at all (1-15 characters, no '/', not blank). */
    static boolean possibleName(String name) {
        return !name.isEmpty() && name.length() <= 15 && !name.contains("/") && !name.isBlank();
    }
}
