package org.xmasq;

import org.xmasq.bpf.TcMode;
import org.xmasq.datapath.DatapathConfig;
import org.xmasq.datapath.MapSizes;
import org.xmasq.host.CommandRunner;
import org.xmasq.host.HostInterfaces;
import org.xmasq.libbpf.LibBpf;

/** What a builder hands to the opener and the instance: every setting resolved (no nulls). */
record Settings(LibBpf lib, PinLayout pins, DatapathConfig config, MapSizes sizes, TcMode attachMode,
                HostInterfaces interfaces, CommandRunner commands, boolean installEstRule,
                boolean replaceIncompatible) {
}
