package org.xmasq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.xmasq.host.CommandRunner;
import org.xmasq.host.EstMarkRule;
import org.xmasq.support.FakeHost;

/** iptables or nft, driven through a fake that keeps the rule's state like the real tool would. */
class TheEstRuleUsesWhicheverToolTheMachineHas {
    final FakeHost host = new FakeHost();
    final Set<String> rules = new HashSet<>();

    private CommandRunner.Result iptables(List<String> c) {
        if (c.get(0).equals("nft")) {
            return new CommandRunner.Result(-1, "not installed");
        }
        if (c.contains("--version")) {
            return new CommandRunner.Result(0, "iptables v1.8.9");
        }
        String spec = String.join(" ", c.subList(5, c.size()));
        return switch (c.get(4)) {
            case "-C" -> new CommandRunner.Result(rules.contains(spec) ? 0 : 1, "");
            case "-A" -> new CommandRunner.Result(rules.add(spec) ? 0 : 0, "");
            case "-D" -> new CommandRunner.Result(rules.remove(spec) ? 0 : 1, "");
            default -> new CommandRunner.Result(2, "bad");
        };
    }

    private CommandRunner.Result nft(List<String> c) {
        if (c.get(0).equals("iptables")) {
            return new CommandRunner.Result(-1, "not installed");
        }
        if (c.contains("--version")) {
            return new CommandRunner.Result(0, "nftables v1.0.6");
        }
        String table = c.get(4);
        return switch (c.get(1) + " " + c.get(2)) {
            case "list table" -> new CommandRunner.Result(rules.contains(table) ? 0 : 1, "");
            case "add table" -> new CommandRunner.Result(rules.add(table) ? 0 : 0, "");
            case "add chain", "add rule" -> new CommandRunner.Result(rules.contains(table) ? 0 : 1, "");
            case "delete table" -> new CommandRunner.Result(rules.remove(table) ? 0 : 1, "");
            default -> new CommandRunner.Result(2, "bad");
        };
    }

    @Test
    void withIptablesTheRuleIsAMangleForwardRuleTaggedWithTheInstance() {
        host.answer = this::iptables;
        XMasq x = host.builder().installEstRule(true).requireEst(true).open();
        String tag = PinLayout.of(FakeHost.PIN_ROOT).ruleTag();
        assertEquals(1, rules.size());
        String rule = rules.iterator().next();
        assertTrue(rule.contains("FORWARD -m conntrack --ctstate ESTABLISHED -m comment --comment " + tag
                + " -j MARK --or-mark 0x4000000"), rule);
        assertTrue(x.estRule().isInstalled());

        x.close();
        host.builder().installEstRule(true).requireEst(true).open().close(); // re-adoption does not add it twice
        assertEquals(1, rules.size());

        XMasq again = host.builder().installEstRule(true).requireEst(true).open();
        again.down();
        assertTrue(rules.isEmpty(), rules::toString);
    }

    @Test
    void withNftTheRuleIsATableOfItsOwn() {
        host.answer = this::nft;
        XMasq x = host.builder().installEstRule(true).open();
        assertEquals(Set.of("xmasq_" + PinLayout.of(FakeHost.PIN_ROOT).ruleTag().replace('-', '_')), rules);
        assertTrue(host.commands.contains(List.of("nft", "add", "rule", "ip", rules.iterator().next(), "est", "ct",
                "state", "established", "meta", "mark", "set", "meta", "mark", "or", "0x4000000")));
        x.down();
        assertTrue(rules.isEmpty());
    }

    @Test
    void withNeitherToolInstallingFailsAndLeavesNothingPinned() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> host.builder().installEstRule(true).open());
        assertTrue(e.getMessage().contains("neither"), e.getMessage());
        assertEquals(List.of(), host.pinsUnderRoot());
    }

    @Test
    void twoInstancesHaveTwoRules() {
        host.answer = this::iptables;
        new EstMarkRule(host.runner(), "xmasq-aaaa", 0x10).install();
        new EstMarkRule(host.runner(), "xmasq-bbbb", 0x10).install();
        assertEquals(2, rules.size());
        new EstMarkRule(host.runner(), "xmasq-aaaa", 0x10).remove();
        assertEquals(1, rules.size());
        assertTrue(rules.iterator().next().contains("xmasq-bbbb"));
    }
}
