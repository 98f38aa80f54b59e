package org.xmasq.datapath;

/**
 * Capacities (max_entries) of the datapath's maps, fixed when an instance is first loaded. Re-adopting an instance
 * with other sizes is an incompatibility (maps cannot be resized in place).
 *
 * @param endpoints local containers (endpoints)
 * @param egressHosts remote containers in level 1 of the egress cache (egress_hosts, LRU)
 * @param egressHeaders remote hosts in level 2 of the egress cache (egress_headers, LRU)
 * @param filterCache flows in the filter cache (filter_cache, LRU)
 * @param hostDevices host NICs (host_devices)
 */
public record MapSizes(int endpoints, int egressHosts, int egressHeaders, int filterCache, int hostDevices) {
    /** The sizes compiled into the object. */
    public static final MapSizes DEFAULTS = new MapSizes(1024, 16384, 1024, 65536, 16);

    public MapSizes {
        check("endpoints", endpoints);
        check("egressHosts", egressHosts);
        check("egressHeaders", egressHeaders);
        check("filterCache", filterCache);
        check("hostDevices", hostDevices);
    }

    private static void check(String what, int n) {
        if (n <= 0 || n > (1 << 24)) {
            throw new IllegalArgumentException("map size " + what + " must be 1.." + (1 << 24) + ", not " + n);
        }
    }

    public MapSizes withEndpoints(int n) {
        return new MapSizes(n, egressHosts, egressHeaders, filterCache, hostDevices);
    }

    public MapSizes withEgressHosts(int n) {
        return new MapSizes(endpoints, n, egressHeaders, filterCache, hostDevices);
    }

    public MapSizes withEgressHeaders(int n) {
        return new MapSizes(endpoints, egressHosts, n, filterCache, hostDevices);
    }

    public MapSizes withFilterCache(int n) {
        return new MapSizes(endpoints, egressHosts, egressHeaders, n, hostDevices);
    }

    public MapSizes withHostDevices(int n) {
        return new MapSizes(endpoints, egressHosts, egressHeaders, filterCache, n);
    }
}
