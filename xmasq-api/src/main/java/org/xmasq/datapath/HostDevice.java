package org.xmasq.datapath;

import java.util.Objects;
import org.xmasq.bpf.Codecs;
import org.xmasq.bpf.StructCodec;
import org.xmasq.net.Ipv4Address;
import org.xmasq.net.MacAddress;

/**
 * A value of {@code host_devices} ({@code struct xmasq_host_device}, 16 bytes): one overlay NIC of this host. The
 * key is the NIC's ifindex. A zero {@code vxlanPort} or {@code vni} means the {@link DatapathConfig} default.
 *
 * @param address the NIC's underlay IPv4 address
 * @param mac the NIC's MAC
 * @param vxlanPort UDP port of the overlay's VXLAN (0..65535, 0 = the configured default)
 * @param vni the overlay's VNI (0..2^24-1, 0 = the configured default)
 */
public record HostDevice(Ipv4Address address, MacAddress mac, int vxlanPort, int vni) {
    public static final StructCodec<HostDevice> CODEC;

    static {
        var b = StructCodec.<HostDevice>builder("xmasq_host_device");
        var addr = b.field("addr", Codecs.ipv4(), HostDevice::address);
        var mac = b.field("mac", Codecs.mac(), HostDevice::mac);
        var port = b.field("vxlan_port", Codecs.u16(), HostDevice::vxlanPort);
        var vni = b.field("vni", Codecs.u32(), HostDevice::vni);
        CODEC = b.build(v -> new HostDevice(v.get(addr), v.get(mac), v.get(port), v.get(vni)));
    }

    public HostDevice {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(mac, "mac");
        checkOverlay(vxlanPort, vni);
    }

    /** @throws IllegalArgumentException unless the port is 0..65535 and the VNI has 24 bits (0 = the default) */
    public static void checkOverlay(int vxlanPort, int vni) {
        if (vxlanPort < 0 || vxlanPort > 0xffff) {
            throw new IllegalArgumentException("VXLAN port is 0..65535, not " + vxlanPort);
        }
        if (vni < 0 || vni > 0xffffff) {
            throw new IllegalArgumentException("a VNI has 24 bits, not " + vni);
        }
    }

    /** A NIC that uses the configured VXLAN port and VNI. */
    public static HostDevice of(Ipv4Address address, MacAddress mac) {
        return new HostDevice(address, mac, 0, 0);
    }
}
