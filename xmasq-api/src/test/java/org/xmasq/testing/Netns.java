package org.xmasq.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.xmasq.libbpf.LibBpf;
import org.xmasq.libbpf.support.Names;
import org.xmasq.libbpf.support.Shell;

/**
 * A throwaway network namespace "xmt-&lt;hex&gt;" and one platform thread living in it, so that calls needing the
 * namespace (BPF_PROG_TEST_RUN resolving a context ifindex, bpf_check_mtu) run there without a new thread each.
 * Closing stops the thread and deletes the namespace with every device in it.
 */
public final class Netns implements AutoCloseable {
    private static final FutureTask<Object> STOP = new FutureTask<>(() -> null);

    private final String name;
    private final BlockingQueue<FutureTask<?>> queue = new LinkedBlockingQueue<>();
    private final Thread outer;
    private final CompletableFuture<Void> ended = new CompletableFuture<>();

    private Netns(LibBpf lib, String name) {
        this.name = name;
        outer = new Thread(() -> {
            try {
                lib.inNetns(path(), () -> {
                    serve();
                    return null;
                });
                ended.complete(null);
            } catch (Throwable t) {
                ended.completeExceptionally(t);
            }
        }, "netns-" + name);
        outer.setDaemon(true);
    }

    /** Creates the namespace and its thread. */
    public static Netns create(LibBpf lib) {
        String name = Names.unique();
        run("ip", "netns", "add", name);
        Netns ns = new Netns(lib, name);
        try {
            ns.outer.start();
            ns.call(() -> null); // fails fast if the thread could not join the namespace
            return ns;
        } catch (RuntimeException | Error e) {
            ns.close();
            throw e;
        }
    }

    public String name() {
        return name;
    }

    public Path path() {
        return Path.of("/run/netns", name);
    }

    private void serve() throws InterruptedException {
        while (true) {
            FutureTask<?> task = queue.take();
            if (task == STOP) {
                return;
            }
            task.run();
        }
    }

    /** Runs {@code task} on the namespace's thread and waits for it; its exceptions are rethrown. */
    public <T> T call(Callable<T> task) {
        FutureTask<T> f = new FutureTask<>(task);
        queue.add(f);
        try {
            while (true) {
                try {
                    return f.get(100, TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    if (ended.isDone()) {
                        ended.join(); // rethrows why the thread ended
                        throw new IllegalStateException("namespace thread of " + name + " has ended");
                    }
                }
            }
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException r) {
                throw r;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(c);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Runs an iproute2 command inside the namespace ("ip -n NAME ..."). */
    public String ip(String... args) {
        List<String> cmd = new ArrayList<>(List.of("ip", "-n", name));
        cmd.addAll(List.of(args));
        return run(cmd.toArray(String[]::new));
    }

    /** Runs a command; fails unless it exits 0. @return its output */
    public static String run(String... command) {
        return Shell.check(command);
    }

    @Override
    public void close() {
        try {
            if (outer.isAlive()) {
                queue.add(STOP);
                outer.join(10_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            run("ip", "netns", "delete", name);
        }
    }
}
