/**
 * What the SDK needs from the host beyond BPF: reading interfaces of the namespace the datapath runs in, and the
 * optional netfilter rule that marks established connections. Both go through replaceable interfaces so the domain
 * layer is unit-tested without root.
 */
package org.xmasq.host;
