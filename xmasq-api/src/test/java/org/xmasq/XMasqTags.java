package org.xmasq;

import java.nio.file.Path;

/** Test access to the tag XMasq gives its netfilter rule. */
public final class XMasqTags {
    private XMasqTags() {
    }

    public static String ruleTag(Path pinRoot) {
        return PinLayout.of(pinRoot).ruleTag();
    }
}
