package org.xmasq;

/** What an interface the datapath is attached to is. */
public enum InterfaceRole {
    /** A host NIC: ingress fast path on TC ingress, egress learner on TC egress. */
    HOST,
    /** The host-side veth of a container: egress fast path on TC ingress, ingress learner on TC egress. */
    CONTAINER
}
