package org.xmasq;

import java.util.Objects;
import org.xmasq.net.Ipv4Address;

/** Which IPv4 addresses a container can have. */
final class ContainerAddresses {
    private ContainerAddresses() {
    }

    /** @throws IllegalArgumentException for an address no container can have, saying why */
    static void validate(Ipv4Address ip) {
        Objects.requireNonNull(ip, "ipv4");
        int first = ip.value() >>> 24;
        String why = null;
        if (ip.value() == 0) {
            why = "the unspecified address";
        } else if (ip.value() == -1) {
            why = "the broadcast address";
        } else if (first == 127) {
            why = "a loopback address";
        } else if (first >= 224 && first < 240) {
            why = "a multicast address";
        } else if (first >= 240) {
            why = "a reserved (class E) address";
        } else if (first == 0) {
            why = "in 0.0.0.0/8 (this network)";
        }
        if (why != null) {
            throw new IllegalArgumentException("invalid container IP " + ip + ": " + why);
        }
    }
}
