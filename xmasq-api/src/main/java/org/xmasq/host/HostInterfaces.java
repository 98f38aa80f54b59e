package org.xmasq.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.xmasq.libbpf.LibBpf;
import org.xmasq.libbpf.LibBpfs;

/**
 * Reads interfaces of the network namespace the calling thread is in. The default ({@link #netlink}) asks the kernel
 * over rtnetlink; tests and embedders can supply another.
 */
public interface HostInterfaces {
    /** The interface named {@code name} in the calling thread's namespace, or empty when there is none. */
    Optional<InterfaceInfo> find(String name);

    /** The interface with index {@code ifindex} in the calling thread's namespace, or empty when there is none. */
    Optional<InterfaceInfo> find(int ifindex);

    /** The name of the interface with index {@code ifindex}, or empty when there is none. */
    default Optional<String> nameOf(int ifindex) {
        return find(ifindex).map(InterfaceInfo::name);
    }

    /**
     * The end in the calling thread's namespace of the veth whose other end is {@code ifName} in the network
     * namespace at {@code netns} (e.g. a container's eth0 and its host-side veth), or empty when {@code ifName} is
     * no veth there or its peer is not here.
     */
    Optional<InterfaceInfo> vethPeer(Path netns, String ifName);

    /** Names the calling thread's network namespace for messages (e.g. "net:[4026531840]"). */
    String namespace();

    /** rtnetlink through the process's backend ({@link LibBpfs#get()}); see {@link #netlink(LibBpf)}. */
    static HostInterfaces netlink() {
        return netlink(LibBpfs.get());
    }

    /**
     * rtnetlink (RTM_GETLINK, RTM_GETADDR) through {@code lib}'s socket calls, from the calling thread (so in its
     * namespace): what {@code ip -d addr show} reports, without running a process.
     */
    static HostInterfaces netlink(LibBpf lib) {
        return new NetlinkInterfaces(lib);
    }

    /**
     * Whether {@code name} can name an interface at all, by the kernel's rule (dev_valid_name): 1-15 bytes, not "."
     * or "..", no '/', ':' or whitespace. The one place this rule is written.
     */
    static boolean possibleName(String name) {
        return !name.isEmpty() && name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= 15
                && !name.equals(".") && !name.equals("..")
                && name.chars().noneMatch(c -> c == '/' || c == ':' || Character.isWhitespace(c));
    }

    /** The calling thread's network namespace, e.g. "net:[4026531840]". */
    static String threadNamespace() {
        try {
            return Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString();
        } catch (IOException | UnsupportedOperationException e) {
            return "the current network namespace";
        }
    }
}
