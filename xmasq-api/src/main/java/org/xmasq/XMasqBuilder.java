package org.xmasq;

import java.nio.file.Path;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmasq.bpf.TcMode;
import org.xmasq.datapath.DatapathConfig;
import org.xmasq.datapath.MapSizes;
import org.xmasq.host.CommandRunner;
import org.xmasq.host.HostInterfaces;
import org.xmasq.libbpf.LibBpf;
import org.xmasq.libbpf.LibBpfs;

/** Configures and opens an {@link XMasq} instance ({@link XMasq#builder()}). Every setting has a default. */
public final class XMasqBuilder {
    private static final Logger LOG = LoggerFactory.getLogger(XMasqBuilder.class);

    private LibBpf lib;
    private Path pinRoot = PinLayout.DEFAULT_ROOT;
    private DatapathConfig config = DatapathConfig.DEFAULTS;
    private MapSizes sizes = MapSizes.DEFAULTS;
    private TcMode attachMode = TcMode.AUTO;
    private boolean installEstRule;
    private boolean replaceIncompatible;
    private HostInterfaces interfaces;
    private CommandRunner commands;

    XMasqBuilder() {
    }

    /** Where the instance is pinned (a directory on bpffs; default {@link PinLayout#DEFAULT_ROOT}). */
    public XMasqBuilder pinRoot(Path root) {
        this.pinRoot = Objects.requireNonNull(root, "root").toAbsolutePath().normalize();
        return this;
    }

    /** The overlay's VXLAN UDP port (default {@link DatapathConfig#DEFAULTS}'s, Flannel's 8472; 4789 is IANA's). */
    public XMasqBuilder vxlanPort(int port) {
        config = config.withVxlan(port, config.vni());
        return this;
    }

    /** The overlay's VNI (default 1). */
    public XMasqBuilder vni(int vni) {
        config = config.withVxlan(config.vxlanPort(), vni);
        return this;
    }

    public XMasqBuilder mapSizes(MapSizes s) {
        this.sizes = Objects.requireNonNull(s, "sizes");
        return this;
    }

    /** The skb->mark bits the datapath owns (defaults 0x01000000, 0x02000000, 0x04000000). */
    public XMasqBuilder marks(int miss, int remote, int est) {
        config = config.withMarks(miss, remote, est);
        return this;
    }

    /** Learners also require the EST mark (set by the netfilter rule, see {@link #installEstRule}). */
    public XMasqBuilder requireEst(boolean require) {
        config = config.withRequireEst(require);
        return this;
    }

    /** Container-to-container traffic on this host goes veth to veth (default on). */
    public XMasqBuilder intraHost(boolean enabled) {
        config = config.withIntraHost(enabled);
        return this;
    }

    /**
     * The ingress fast path also decapsulates GSO packets (default off): see {@link DatapathConfig#ingressGso()}
     * for when that is safe on kernels older than {@code BPF_F_ADJ_ROOM_DECAP_L4_UDP}.
     */
    public XMasqBuilder ingressGso(boolean enabled) {
        config = config.withIngressGso(enabled);
        return this;
    }

    /** The outer UDP source port range, as the kernel's VXLAN device uses (default 32768..60999). */
    public XMasqBuilder sourcePortRange(int min, int max) {
        config = config.withSourcePortRange(min, max);
        return this;
    }

    /** The whole datapath configuration at once. */
    public XMasqBuilder config(DatapathConfig c) {
        this.config = Objects.requireNonNull(c, "config");
        return this;
    }

    /** Install the netfilter rule that sets the EST mark on established connections (iptables or nft). */
    public XMasqBuilder installEstRule(boolean install) {
        this.installEstRule = install;
        return this;
    }

    /** tcx (pinned links), clsact (filters at our handle/priority) or AUTO (tcx where the kernel has it). */
    public XMasqBuilder attachMode(TcMode mode) {
        this.attachMode = Objects.requireNonNull(mode, "mode");
        return this;
    }

    /** When the pinned instance is incompatible, tear it down and start afresh instead of failing. */
    public XMasqBuilder replaceIncompatible(boolean replace) {
        this.replaceIncompatible = replace;
        return this;
    }

    /** The native backend (default {@link LibBpfs#get()}). */
    public XMasqBuilder libBpf(LibBpf l) {
        this.lib = Objects.requireNonNull(l, "lib");
        return this;
    }

    /** How interfaces are read (default rtnetlink in the calling thread's namespace, {@link HostInterfaces#netlink}). */
    public XMasqBuilder hostInterfaces(HostInterfaces hi) {
        this.interfaces = Objects.requireNonNull(hi, "interfaces");
        return this;
    }

    /** How iptables/nft are run (default: as processes from the calling thread). */
    public XMasqBuilder commandRunner(CommandRunner runner) {
        this.commands = Objects.requireNonNull(runner, "runner");
        return this;
    }

    /**
     * Loads the datapath, or re-adopts the instance pinned under the pin root (nothing flushed or detached).
     *
     * @throws IncompatibleInstanceException when the pinned instance differs (unless {@link #replaceIncompatible})
     * @throws org.xmasq.libbpf.BpfFsException when the pin root is not on bpffs
     */
    public XMasq open() {
        if (config.requireEst() && !installEstRule) {
            LOG.info("requireEst without installEstRule: something else must set the EST mark 0x{}",
                    Integer.toHexString(config.markEst()));
        }
        Settings s = settings();
        InstanceOpener.Opened opened = InstanceOpener.open(s);
        XMasq x = null;
        try {
            x = new XMasq(s, opened.object(), opened.readopted());
            x.start();
            return x;
        } catch (RuntimeException | Error e) {
            if (x != null) {
                x.closeQuietly();
            } else {
                opened.object().close();
            }
            if (!opened.readopted()) {
                InstanceOpener.discardFresh(s, e);
            }
            throw e;
        }
    }

    /**
     * Re-adopts the instance pinned under the pin root with the configuration and map sizes it was started with,
     * whatever this builder says about them: for a later process (a CLI, an inspector) that manages an instance
     * without knowing how it was configured. Nothing is flushed or detached.
     *
     * @throws InstanceDownException when no instance is pinned there
     * @throws IncompatibleInstanceException when the pinned instance cannot be re-adopted by this SDK
     */
    public XMasq openPinned() {
        InstanceRecord pinned = InstanceOpener.pinnedRecord(lib(), PinLayout.of(pinRoot));
        config = pinned.config();
        sizes = pinned.sizes();
        replaceIncompatible = false;
        return open();
    }

    private LibBpf lib() {
        if (lib == null) {
            lib = LibBpfs.get();
        }
        return lib;
    }

    private Settings settings() {
        LibBpf l = lib();
        return new Settings(l, PinLayout.of(pinRoot), config, sizes, attachMode,
                interfaces != null ? interfaces : HostInterfaces.netlink(l),
                commands != null ? commands : CommandRunner.system(), installEstRule, replaceIncompatible);
    }
}
