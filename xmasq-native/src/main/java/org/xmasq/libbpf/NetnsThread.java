package org.xmasq.libbpf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;

/**
 * The thread plumbing of {@link LibBpf#inNetns}, shared by the backends: open the namespace file, start a new
 * platform thread that joins the namespace with setns(2) and runs the task, wait for it, close the file, hand back
 * the task's result or rethrow its exception.
 *
 * <p>The task runs on a thread of its own because setns changes only the calling thread, and that thread ends
 * with the task: nothing else (a pooled thread, the caller's next statement) can ever run in the namespace by
 * accident. The backend supplies the three libc calls through {@link Syscalls}.
 */
public final class NetnsThread {
    /** CLONE_NEWNET, the nstype argument of setns(2) for a network namespace. */
    public static final int CLONE_NEWNET = 0x40000000;
    /** open(2) flags for a namespace file: O_RDONLY | O_CLOEXEC. */
    public static final int O_RDONLY_CLOEXEC = 0x80000;

    /** The libc calls a backend provides. Each returns a result >= 0 or -errno and never throws. */
    public interface Syscalls {
        /** open(path, O_RDONLY | O_CLOEXEC). @return an fd, or -errno */
        int open(String path);

        /** setns(fd, CLONE_NEWNET) on the calling thread. @return 0, or -errno */
        int setnsNet(int fd);

        /** close(2). */
        void close(int fd);
    }

    private NetnsThread() {
    }

    /**
     * Runs {@code task} in the network namespace at {@code netnsPath} on a new platform thread and waits for it.
     * A RuntimeException or Error of the task is rethrown as it is; an IOException is wrapped in an
     * UncheckedIOException, any other checked exception in a CompletionException. Failing to open or join the
     * namespace throws a {@link BpfException}.
     */
    public static <T> T run(Syscalls sys, Path netnsPath, Callable<T> task) {
        String path = netnsPath.toString();
        int fd = sys.open(path);
        if (fd < 0) {
            throw BpfException.of("open(" + path + ")", fd);
        }
        Outcome<T> outcome = new Outcome<>();
        try {
            Thread thread = new Thread(() -> runJoined(sys, fd, path, task, outcome),
                    "xmasq-netns-" + netnsPath.getFileName());
            thread.setDaemon(true);
            thread.start();
            joinUninterruptibly(thread);
        } finally {
            sys.close(fd);
        }
        if (outcome.failure != null) {
            throw rethrowable(outcome.failure);
        }
        return outcome.value;
    }

    private static <T> void runJoined(Syscalls sys, int fd, String path, Callable<T> task, Outcome<T> outcome) {
        try {
            int rc = sys.setnsNet(fd);
            if (rc < 0) {
                throw BpfException.of("setns(" + path + ", CLONE_NEWNET)", rc);
            }
            outcome.value = task.call();
        } catch (Throwable t) {
            outcome.failure = t;
        }
    }

    /** The fd must stay open until the thread has joined the namespace, so an interrupt cannot cut the wait short. */
    private static void joinUninterruptibly(Thread thread) {
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static RuntimeException rethrowable(Throwable t) {
        if (t instanceof RuntimeException re) {
            return re;
        }
        if (t instanceof Error err) {
            throw err;
        }
        if (t instanceof IOException io) {
            return new UncheckedIOException(io);
        }
        return new CompletionException(t);
    }

    /** Written by the namespace thread, read by the caller after join (join gives the happens-before). */
    private static final class Outcome<T> {
        T value;
        Throwable failure;
    }
}
