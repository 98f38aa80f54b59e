package org.xmasq.examples.testbed;

/**
 * A client/server pair the benchmark measures: where the client runs, where the server runs and the address the
 * client dials.
 *
 * @param client namespace of the client
 * @param server namespace of the server
 * @param serverIp the address the server binds and the client connects to
 * @param description how packets travel, for the report
 */
public record Route(Netns client, Netns server, String serverIp, String description) {
}
