/**
 * The {@code xmasq} command (launched by bin/xmasq): one short-lived process per subcommand over the
 * {@link org.xmasq.XMasq} API, acting in the network namespace it was started in. It keeps no state of its own: the
 * instance lives in bpffs pins, so {@code up} opens or re-adopts it, attaches, and closes (never downs) it, and every
 * later command re-adopts it with the settings it was started with ({@code XMasqBuilder.openPinned()}).
 *
 * <p>Output is for people by default and for programs with {@code --json} ({@link org.xmasq.examples.json.Json},
 * no JSON library). Exit status 0 on success, 1 on failure, 2 on bad usage, with one line on standard error; the
 * SDK's own log is off unless {@code XMASQ_LOG} asks for it, so that line stays the only one.
 */
package org.xmasq.examples.cli;
