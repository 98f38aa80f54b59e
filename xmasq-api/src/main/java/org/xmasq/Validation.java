package org.xmasq;

import java.util.Objects;
import org.xmasq.host.HostInterfaces;
import org.xmasq.host.InterfaceInfo;
import org.xmasq.net.Ipv4Address;

/** What the host and container calls accept: addresses a container can have, interfaces that can play a role. */
final class Validation {
    private Validation() {
    }

    /** @throws IllegalArgumentException for an address no container can have, saying why */
    static void containerAddress(Ipv4Address ip) {
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

    /** The interface named {@code ifName} in the instance's namespace. */
    static InterfaceInfo existing(HostInterfaces interfaces, String ifName, String what) {
        Objects.requireNonNull(ifName, what);
        if (ifName.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
        return interfaces.find(ifName).orElseThrow(() -> new UnknownInterfaceException(ifName,
                "no interface named '" + ifName + "' in network namespace " + interfaces.namespace()
                        + ", where this XMasq instance runs (the " + what + " must be in the host's namespace)"));
    }

    /** A host NIC: it exists and has an IPv4 address (the underlay's). */
    static InterfaceInfo hostNic(HostInterfaces interfaces, String nic) {
        InterfaceInfo info = existing(interfaces, nic, "host NIC");
        if (info.primaryIpv4().isEmpty()) {
            throw new UnsuitableInterfaceException(nic, "host NIC " + nic + " has no IPv4 address in network namespace "
                    + interfaces.namespace() + "; the datapath needs the NIC's underlay address");
        }
        return info;
    }

    /** A container's host-side veth: it exists and is a veth. */
    static InterfaceInfo containerVeth(HostInterfaces interfaces, String hostVeth) {
        InterfaceInfo info = existing(interfaces, hostVeth, "container veth");
        if (!info.isVeth()) {
            throw new UnsuitableInterfaceException(hostVeth, hostVeth + " is "
                    + (info.kind().isEmpty() ? "a physical device" : "a " + info.kind() + " device")
                    + ", not a veth: attachContainer wants the host-side end of a container's veth pair");
        }
        return info;
    }
}
