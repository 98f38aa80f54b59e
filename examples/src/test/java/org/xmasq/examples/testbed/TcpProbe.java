package org.xmasq.examples.testbed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.xmasq.libbpf.LibBpfs;

/**
 * A real TCP connection between two namespaces: the sockets are created on threads that joined the namespaces
 * (LibBpf.inNetns) and stay there, so the bytes travel the testbed's network.
 */
final class TcpProbe {
    private TcpProbe() {
    }

    /** Connects from {@code client} to {@code server}'s address, sends {@code message}, returns what came back. */
    static String echo(Container client, Container server, int port, String message) throws Exception {
        var lib = LibBpfs.get();
        ServerSocketChannel listener = lib.inNetns(server.netns().path(), () -> {
            ServerSocketChannel s = ServerSocketChannel.open();
            s.bind(new InetSocketAddress(server.ip(), port));
            return s;
        });
        try (listener) {
            CompletableFuture<Void> served = CompletableFuture.runAsync(() -> {
                try (SocketChannel c = listener.accept()) {
                    ByteBuffer b = ByteBuffer.allocate(1024);
                    while (c.read(b) > 0 && b.position() < message.length()) {
                        // read the whole message
                    }
                    b.flip();
                    c.write(b);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            SocketChannel conn = lib.inNetns(client.netns().path(), () -> {
                SocketChannel c = SocketChannel.open();
                c.socket().connect(new InetSocketAddress(server.ip(), port), 3_000);
                return c;
            });
            try (conn) {
                conn.socket().setSoTimeout(3_000);
                conn.write(ByteBuffer.wrap(message.getBytes(StandardCharsets.UTF_8)));
                byte[] back = conn.socket().getInputStream().readNBytes(message.length());
                served.get(5, TimeUnit.SECONDS);
                return new String(back, StandardCharsets.UTF_8);
            }
        }
    }
}
