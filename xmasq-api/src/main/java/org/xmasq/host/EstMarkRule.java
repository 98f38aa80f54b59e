package org.xmasq.host;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The optional netfilter rule that ORs the EST mark into {@code skb->mark} of routed packets whose conntrack entry
 * is established, so learners told to require EST only learn established flows. It sits in the FORWARD hook (mangle
 * priority), which both directions of overlay traffic cross: container to overlay before the VXLAN device, and
 * decapsulated traffic on its way to the container's veth.
 *
 * <p>Installed with iptables when the machine has it, nft otherwise, in the namespace of the calling thread. The rule
 * carries a tag derived from the instance (its pin root), so two instances in one namespace never remove each
 * other's rule, and a restarted instance finds its own.
 */
public final class EstMarkRule {
    private static final Logger LOG = LoggerFactory.getLogger(EstMarkRule.class);

    /** Which tool manages the rule. */
    public enum Tool {
        IPTABLES,
        NFT
    }

    private final CommandRunner runner;
    private final String tag;
    private final int mark;

    /**
     * @param tag identifies the instance: letters, digits, '_' and '-' only, at most 24 characters
     * @param mark the EST mark bit(s)
     */
    public EstMarkRule(CommandRunner runner, String tag, int mark) {
        this.runner = Objects.requireNonNull(runner, "runner");
        Objects.requireNonNull(tag, "tag");
        if (!tag.matches("[A-Za-z0-9_-]{1,24}")) {
            throw new IllegalArgumentException("rule tag must be 1-24 of [A-Za-z0-9_-], not '" + tag + "'");
        }
        if (mark == 0) {
            throw new IllegalArgumentException("the EST mark must not be 0");
        }
        this.tag = tag;
        this.mark = mark;
    }

    public String tag() {
        return tag;
    }

    /** The tool present on this machine: iptables first, then nft. */
    public Tool tool() {
        if (runner.run(List.of("iptables", "--version")).ok()) {
            return Tool.IPTABLES;
        }
        if (runner.run(List.of("nft", "--version")).ok()) {
            return Tool.NFT;
        }
        throw new IllegalStateException("the EST mark rule needs iptables or nft, and this machine has neither");
    }

    private String hexMark() {
        return "0x" + Integer.toHexString(mark);
    }

    private List<String> iptables(String op) {
        return List.of("iptables", "-w", "-t", "mangle", op, "FORWARD", "-m", "conntrack", "--ctstate", "ESTABLISHED",
                "-m", "comment", "--comment", tag, "-j", "MARK", "--or-mark", hexMark());
    }

    private String nftTable() {
        return "xmasq_" + tag.replace('-', '_');
    }

    /** Whether the rule is in place. */
    public boolean isInstalled() {
        return switch (tool()) {
            case IPTABLES -> runner.run(iptables("-C")).ok();
            case NFT -> runner.run(List.of("nft", "list", "table", "ip", nftTable())).ok();
        };
    }

    /** Adds the rule unless it is there already. @return the tool used */
    public Tool install() {
        Tool tool = tool();
        boolean added = false;
        switch (tool) {
            case IPTABLES -> {
                if (!runner.run(iptables("-C")).ok()) {
                    check(iptables("-A"));
                    added = true;
                }
            }
            case NFT -> {
                if (!runner.run(List.of("nft", "list", "table", "ip", nftTable())).ok()) {
                    List<List<String>> steps = new ArrayList<>();
                    steps.add(List.of("nft", "add", "table", "ip", nftTable()));
                    steps.add(List.of("nft", "add", "chain", "ip", nftTable(), "est", "{", "type", "filter", "hook",
                            "forward", "priority", "mangle", ";", "}"));
                    steps.add(List.of("nft", "add", "rule", "ip", nftTable(), "est", "ct", "state", "established",
                            "meta", "mark", "set", "meta", "mark", "or", hexMark()));
                    try {
                        for (List<String> step : steps) {
                            check(step);
                        }
                        added = true;
                    } catch (RuntimeException e) {
                        runner.run(List.of("nft", "delete", "table", "ip", nftTable()));
                        throw e;
                    }
                }
            }
        }
        if (added) {
            LOG.info("EST mark rule {} installed with {}", tag, tool);
        } else {
            LOG.debug("EST mark rule {} is in place already", tag);
        }
        return tool;
    }

    /** Removes the rule if present. Idempotent. @return whether something was removed */
    public boolean remove() {
        Tool tool;
        try {
            tool = tool();
        } catch (IllegalStateException e) {
            return false; // no tool, so no rule of ours either
        }
        boolean removed = false;
        switch (tool) {
            case IPTABLES -> {
                for (int i = 0; i < 16 && runner.run(iptables("-C")).ok(); i++) {
                    check(iptables("-D"));
                    removed = true;
                }
            }
            case NFT -> {
                if (runner.run(List.of("nft", "list", "table", "ip", nftTable())).ok()) {
                    check(List.of("nft", "delete", "table", "ip", nftTable()));
                    removed = true;
                }
            }
        }
        if (removed) {
            LOG.info("EST mark rule {} removed", tag);
        }
        return removed;
    }

    private void check(List<String> command) {
        CommandRunner.Result r = runner.run(command);
        if (!r.ok()) {
            throw new IllegalStateException(String.join(" ", command) + " failed (exit " + r.exitCode() + "): "
                    + r.output().strip());
        }
    }
}
