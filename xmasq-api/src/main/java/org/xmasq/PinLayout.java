package org.xmasq;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import org.xmasq.libbpf.TcAttachPoint;

/**
 * Where an instance keeps its state on bpffs; the only place that knows the layout under a pin root:
 * <pre>
 *   &lt;root&gt;/meta                          the instance record (layout version, object digest, config, sizes)
 *   &lt;root&gt;/maps/&lt;map&gt;                    every map of the datapath
 *   &lt;root&gt;/progs/&lt;program&gt;               its four programs, so that re-adopting loads nothing
 *   &lt;root&gt;/links/&lt;ifname&gt;-&lt;ingress|egress&gt; tcx links (with clsact, filters at a fixed handle/priority)
 * </pre>
 * Two instances on one kernel (two "hosts" in two namespaces) use two roots; nothing is global to the kernel.
 *
 * @param root the pin root, absolute and normalised
 */
public record PinLayout(Path root) {
    /** Where instances are pinned unless told otherwise. */
    public static final Path DEFAULT_ROOT = Path.of("/sys/fs/bpf/xmasq");

    public PinLayout {
        root = Objects.requireNonNull(root, "root").toAbsolutePath().normalize();
    }

    public static PinLayout of(Path root) {
        return new PinLayout(root);
    }

    /** The instance record's pin. */
    public Path record() {
        return root.resolve("meta");
    }

    public Path mapsDir() {
        return root.resolve("maps");
    }

    public Path map(String name) {
        return mapsDir().resolve(name);
    }

    public Path programsDir() {
        return root.resolve("progs");
    }

    public Path program(String name) {
        return programsDir().resolve(name);
    }

    public Path linksDir() {
        return root.resolve("links");
    }

    /** The pin of the tcx link of {@code ifName}'s {@code point}. */
    public Path link(String ifName, TcAttachPoint point) {
        return linksDir().resolve(ifName + "-" + (point == TcAttachPoint.INGRESS ? "ingress" : "egress"));
    }

    /** The interface name a link pin was made for ({@link #link}'s inverse). */
    static String interfaceOfLink(Path pin) {
        String f = pin.getFileName().toString();
        return f.substring(0, Math.max(0, f.lastIndexOf('-')));
    }

    /** The directories that hold pins, the root last: the order to remove them in. */
    List<Path> directories() {
        return List.of(linksDir(), mapsDir(), programsDir(), root);
    }

    /** "xmasq-" and 8 hex digits of the root's hash: tags the instance's netfilter rule, one per instance. */
    public String ruleTag() {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(root.toString().getBytes(StandardCharsets.UTF_8));
            return "xmasq-" + HexFormat.of().formatHex(h, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
