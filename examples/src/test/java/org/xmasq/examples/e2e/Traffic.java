package org.xmasq.examples.e2e;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.xmasq.examples.testbed.CommandResult;
import org.xmasq.examples.testbed.Netns;
import org.xmasq.libbpf.LibBpf;
import org.xmasq.libbpf.LibBpfs;

/**
 * Traffic between containers: sockets are created on a thread that joined the container's namespace
 * ({@link LibBpf#inNetns}) and stay in it, so their packets travel the testbed's network. Servers are threads of this
 * JVM (nothing to stop but sockets); every blocking call has a timeout.
 */
final class Traffic {
    static final LibBpf LIB = LibBpfs.get();
    static final int TIMEOUT_MS = 3_000;
    /**
     * Where background work runs: its own daemon threads. Not the common pool, which on a 2-core machine has one
     * worker, so a stream occupying it would starve a sink or a second CLI run queued behind it.
     */
    static final java.util.concurrent.ExecutorService BACKGROUND = java.util.concurrent.Executors.newCachedThreadPool(
            r -> {
                Thread t = new Thread(r, "e2e-background");
                t.setDaemon(true);
                return t;
            });

    private Traffic() {
    }

    /**
     * A TCP server in a namespace: greets each connection with its name and a newline, then echoes what it reads.
     */
    static final class TcpServer implements AutoCloseable {
        private final ServerSocket socket;
        private final List<Socket> accepted = new ArrayList<>();

        TcpServer(Netns ns, String ip, int port, String name) {
            socket = LIB.inNetns(ns.path(), () -> {
                ServerSocket s = new ServerSocket();
                s.setReuseAddress(true);
                s.bind(new InetSocketAddress(ip, port));
                return s;
            });
            Thread t = new Thread(() -> {
                while (!socket.isClosed()) {
                    try {
                        Socket c = socket.accept();
                        synchronized (accepted) {
                            accepted.add(c);
                        }
                        Thread h = new Thread(() -> echo(c, name), "tcp-echo-" + name);
                        h.setDaemon(true);
                        h.start();
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "tcp-accept-" + name);
            t.setDaemon(true);
            t.start();
        }

        private static void echo(Socket c, String name) {
            try (c) {
                OutputStream out = c.getOutputStream();
                out.write((name + "\n").getBytes(StandardCharsets.UTF_8));
                InputStream in = c.getInputStream();
                byte[] b = new byte[65536];
                int n;
                while ((n = in.read(b)) > 0) {
                    out.write(b, 0, n);
                }
            } catch (IOException e) {
                // the client went away
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
            synchronized (accepted) {
                for (Socket s : accepted) {
                    s.close();
                }
            }
        }
    }

    /** A connection to a {@link TcpServer}; {@link #greeting()} is the server's name. */
    static final class TcpClient implements AutoCloseable {
        final Socket socket;
        private final DataInputStream in;
        private final OutputStream out;
        private final String greeting;

        TcpClient(Netns ns, String ip, int port) throws IOException {
            socket = LIB.inNetns(ns.path(), () -> {
                Socket s = new Socket();
                s.connect(new InetSocketAddress(ip, port), TIMEOUT_MS);
                return s;
            });
            socket.setSoTimeout(TIMEOUT_MS);
            socket.setTcpNoDelay(true);
            in = new DataInputStream(socket.getInputStream());
            out = socket.getOutputStream();
            StringBuilder g = new StringBuilder();
            int c;
            while ((c = in.read()) != '\n') {
                if (c < 0) {
                    throw new IOException("closed before the greeting");
                }
                g.append((char) c);
            }
            greeting = g.toString();
        }

        String greeting() {
            return greeting;
        }

        /** {@code n} request/response round trips of {@code size} bytes, each checked. */
        void roundTrips(int n, int size) throws IOException {
            byte[] req = new byte[size];
            byte[] resp = new byte[size];
            for (int i = 0; i < n; i++) {
                Arrays.fill(req, (byte) i);
                out.write(req);
                out.flush();
                in.readFully(resp);
                if (!Arrays.equals(req, resp)) {
                    throw new IOException("round trip " + i + ": the echo differs");
                }
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** A UDP server: answers every datagram with its name, a colon and the datagram. */
    static final class UdpServer implements AutoCloseable {
        private final DatagramSocket socket;

        UdpServer(Netns ns, String ip, int port, String name) {
            socket = LIB.inNetns(ns.path(), () -> new DatagramSocket(new InetSocketAddress(ip, port)));
            byte[] prefix = (name + ":").getBytes(StandardCharsets.UTF_8);
            Thread t = new Thread(() -> {
                byte[] buf = new byte[65536];
                while (!socket.isClosed()) {
                    try {
                        DatagramPacket p = new DatagramPacket(buf, buf.length);
                        socket.receive(p);
                        byte[] reply = new byte[prefix.length + p.getLength()];
                        System.arraycopy(prefix, 0, reply, 0, prefix.length);
                        System.arraycopy(buf, 0, reply, prefix.length, p.getLength());
                        socket.send(new DatagramPacket(reply, reply.length, p.getSocketAddress()));
                    } catch (IOException e) {
                        if (socket.isClosed()) {
                            return;
                        }
                    }
                }
            }, "udp-echo-" + name);
            t.setDaemon(true);
            t.start();
        }

        @Override
        public void close() {
            socket.close();
        }
    }

    /** A UDP client socket in a namespace, bound to a fixed local port so it stays one flow. */
    static final class UdpClient implements AutoCloseable {
        private final DatagramSocket socket;
        private final InetSocketAddress server;

        UdpClient(Netns ns, String ip, String serverIp, int port) throws SocketException {
            socket = LIB.inNetns(ns.path(), () -> new DatagramSocket(new InetSocketAddress(ip, 0)));
            socket.setSoTimeout(TIMEOUT_MS / 3);
            server = new InetSocketAddress(serverIp, port);
        }

        /** Sends {@code payload} and returns the reply (trying up to three times), or null when none came. */
        byte[] ask(byte[] payload) throws IOException {
            byte[] buf = new byte[65536];
            for (int attempt = 0; attempt < 3; attempt++) {
                socket.send(new DatagramPacket(payload, payload.length, server));
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                try {
                    socket.receive(p);
                    return Arrays.copyOf(buf, p.getLength());
                } catch (java.net.SocketTimeoutException e) {
                    // lost (e.g. while an ARP entry resolves); ask again
                }
            }
            return null;
        }

        /** {@code n} round trips; returns how many were answered. */
        int roundTrips(int n) throws IOException {
            int answered = 0;
            for (int i = 0; i < n; i++) {
                byte[] q = ("q" + i).getBytes(StandardCharsets.UTF_8);
                byte[] a = ask(q);
                if (a != null && new String(a, StandardCharsets.UTF_8).endsWith(":q" + i)) {
                    answered++;
                }
            }
            return answered;
        }

        @Override
        public void close() {
            socket.close();
        }
    }

    /** Deterministic pseudo-random bytes for chunk {@code i} of a transfer. */
    static void fill(byte[] chunk, long seed, int i) {
        new Random(seed * 1_000_003L + i).nextBytes(chunk);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What a sink received: byte count and SHA-256. */
    record Received(long bytes, String sha256) {
    }

    /**
     * A one-connection TCP sink: accepts one connection and reads it to its end, hashing; the future completes with
     * what arrived (or exceptionally on a reset or a read timeout).
     */
    static CompletableFuture<Received> sink(Netns ns, String ip, int port, Duration readTimeout) {
        ServerSocket server = LIB.inNetns(ns.path(), () -> {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(ip, port));
            s.setSoTimeout(30_000);
            return s;
        });
        return CompletableFuture.supplyAsync(() -> {
            try (server; Socket c = server.accept()) {
                c.setSoTimeout((int) readTimeout.toMillis());
                MessageDigest md = sha256();
                InputStream in = c.getInputStream();
                byte[] b = new byte[1 << 16];
                long total = 0;
                int n;
                while ((n = in.read(b)) > 0) {
                    md.update(b, 0, n);
                    total += n;
                }
                return new Received(total, HexFormat.of().formatHex(md.digest()));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, BACKGROUND);
    }

    /** The result of a ping run: packets sent and answered. */
    record PingResult(int transmitted, int received, String output) {
        int lost() {
            return transmitted - received;
        }
    }

    private static final Pattern PING_SUMMARY = Pattern.compile("(\\d+) packets transmitted, (\\d+) received");

    static PingResult parsePing(CommandResult r) {
        Matcher m = PING_SUMMARY.matcher(r.stdout());
        if (!m.find()) {
            throw new AssertionError("no ping summary: " + r.stdout() + r.stderr());
        }
        return new PingResult(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), r.stdout());
    }

    /** {@code count} pings {@code interval} apart from {@code from} to {@code ip}, waiting for every answer. */
    static PingResult ping(Netns from, String ip, int count, String interval) {
        CommandResult r = from.run(Duration.ofSeconds(60), "ping", "-q", "-n", "-c", String.valueOf(count), "-i",
                interval, "-W", "1", "-w", "50", ip);
        return parsePing(r);
    }
}
