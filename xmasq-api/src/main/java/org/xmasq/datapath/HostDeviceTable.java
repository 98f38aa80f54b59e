package org.xmasq.datapath;

import org.xmasq.bpf.BpfMap;

/**
 * The {@code host_devices} map: NIC ifindex -> its underlay IPv4, MAC, VXLAN port and VNI. Written by the SDK when a
 * NIC is attached; the ingress fast path serves only NICs found here.
 */
public final class HostDeviceTable extends DatapathMap<Integer, HostDevice> {
    public HostDeviceTable(BpfMap<Integer, HostDevice> map, Runnable guard) {
        super(map, guard);
    }
}
