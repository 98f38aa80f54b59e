package org.xmasq.bpf;

/** How {@link Tc#attach} hooks a program into TC. */
public enum TcMode {
    /** tcx (a bpf_link) where the kernel has it (6.6+), classic clsact otherwise. */
    AUTO,
    /** tcx only; fails where the kernel lacks it. */
    TCX,
    /** A classic cls_bpf filter on the clsact qdisc, even where tcx exists. */
    CLSACT
}
