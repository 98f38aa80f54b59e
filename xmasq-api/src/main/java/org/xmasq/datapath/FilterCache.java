package org.xmasq.datapath;

import java.util.Objects;
import java.util.function.Predicate;
import org.xmasq.bpf.BpfMap;
import org.xmasq.net.Ipv4Address;

/**
 * The filter cache ({@code filter_cache}): a flow as the local container sees it -> which directions the overlay was
 * seen to carry. Learned; flushing it makes flows relearn through the slow path (and so through current policy)
 * within a round trip.
 */
public final class FilterCache extends DatapathMap<FlowKey, FilterEntry> {
    public FilterCache(BpfMap<FlowKey, FilterEntry> map, Runnable guard) {
        super(map, guard);
    }

    /** Deletes every entry. @return how many */
    public int flush() {
        return clear();
    }

    /** Deletes the entries whose flow {@code flows} accepts. @return how many */
    public int flush(Predicate<? super FlowKey> flows) {
        Objects.requireNonNull(flows, "flows");
        return removeIf((k, v) -> flows.test(k));
    }

    /** Deletes every flow with {@code address} at either end. @return how many */
    public int flushAddress(Ipv4Address address) {
        Objects.requireNonNull(address, "address");
        return flush(k -> k.localAddress().equals(address) || k.remoteAddress().equals(address));
    }
}
