package org.xmasq.examples.cni;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmasq.AttachedInterface;
import org.xmasq.XMasq;
import org.xmasq.examples.testbed.Host;
import org.xmasq.examples.testbed.Testbed;
import org.xmasq.libbpf.LibBpf;
import org.xmasq.libbpf.LibBpfs;

/**
 * Two Flannel-style namespace hosts (the {@link Testbed}) with podman on each: podman 4.3 with the CNI backend, one
 * network per host (bridge on the host's cni0 with its /24, host-local, then xmasq-cni), containers made from a
 * busybox-static rootfs ({@code --rootfs DIR:O}, no image). Every podman command for a host runs under
 * {@code nsenter --net=<host netns>}, so the CNI plugins (and xmasq-cni's ADD and DEL) run in that host's namespace.
 *
 * <p>Nothing on the machine is changed: podman reads this fixture's own containers.conf and storage.conf
 * (CONTAINERS_CONF, CONTAINERS_STORAGE_CONF: CNI backend, plugin and config directories, runc, cgroupfs, file
 * events, ulimits below the VM's hard limits, vfs storage) and keeps its state, the CNI configs, host-local's leases
 * and xmasq-cni's state in a work directory {@code /tmp/PREFIX-podman}. The node setup ({@code xmasq up}) is done
 * through the Java API with the same pins. Missing packages are installed (and left installed).
 *
 * <p>The plugin is installed with {@code bin/xmasq-cni install} (classpath: this build, as jars so AppCDS applies)
 * behind a wrapper (GNU time) that logs each invocation's wall and CPU time, JVM start included. Its first ADD trains the start-up cache.
 */
final class PodmanHosts implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PodmanHosts.class);
    static final Duration PODMAN_TIMEOUT = Duration.ofSeconds(120);
    private static final List<String> PACKAGES = List.of("podman", "runc", "busybox-static",
            "containernetworking-plugins", "time");

    final Testbed tb;
    final Path work;
    final LibBpf lib = LibBpfs.get();
    private final Map<String, XMasq> nodes = new LinkedHashMap<>();

    private PodmanHosts(Testbed tb, Path work) {
        this.tb = tb;
        this.work = work;
    }

    static PodmanHosts start() throws Exception {
        ensurePackages();
        Testbed tb = Testbed.create();
        PodmanHosts p = new PodmanHosts(tb, Path.of("/tmp", tb.prefix() + "-podman"));
        try {
            p.prepare();
            return p;
        } catch (Exception | Error e) {
            try {
                p.close();
            } catch (RuntimeException s) {
                e.addSuppressed(s);
            }
            throw e;
        }
    }

    /** Installs what podman needs; aborts (skips) only when podman still cannot run afterwards. */
    private static void ensurePackages() {
        List<String> missing = new ArrayList<>();
        for (String pkg : PACKAGES) {
            if (run(Duration.ofSeconds(30), Map.of(), "dpkg-query", "-W", "-f=${Status}", pkg).out()
                    .contains("install ok installed")) {
                continue;
            }
            missing.add(pkg);
        }
        if (!missing.isEmpty()) {
            List<String> cmd = new ArrayList<>(List.of("apt-get", "install", "-y", "-q"));
            cmd.addAll(missing);
            Result r = run(Duration.ofMinutes(15), Map.of("DEBIAN_FRONTEND", "noninteractive"),
                    cmd.toArray(String[]::new));
            if (r.rc() != 0) {
                r = run(Duration.ofMinutes(5), Map.of(), "apt-get", "update", "-q");
                r = run(Duration.ofMinutes(15), Map.of("DEBIAN_FRONTEND", "noninteractive"),
                        cmd.toArray(String[]::new));
            }
            LOG.info("installed {}: rc {}", missing, r.rc());
        }
        Result v = run(Duration.ofSeconds(60), Map.of(), "podman", "--version");
        Assumptions.assumeTrue(v.rc() == 0 && Files.isExecutable(Path.of("/usr/lib/cni/bridge"))
                        && Files.isExecutable(Path.of("/bin/busybox")),
                "podman cannot run on this machine (podman --version: rc " + v.rc() + " " + v.out().strip()
                        + "; needs " + PACKAGES + ")");
    }

    private void prepare() throws Exception {
        Files.createDirectories(work.resolve("net.d"));
        Files.createDirectories(work.resolve("cni-bin"));
        Files.createDirectories(work.resolve("rootfs/bin"));
        Files.createDirectories(work.resolve("tmp"));
        // the container image: busybox-static and its applets
        Files.copy(Path.of("/bin/busybox"), work.resolve("rootfs/bin/busybox"), StandardCopyOption.COPY_ATTRIBUTES);
        for (String applet : List.of("sh", "sleep", "ping", "nc", "ip", "cat", "echo", "true")) {
            Files.createSymbolicLink(work.resolve("rootfs/bin/" + applet), Path.of("busybox"));
        }
        try (Stream<Path> s = Files.list(Path.of("/usr/lib/cni"))) {
            for (Path plugin : s.toList()) {
                Files.createSymbolicLink(work.resolve("cni-bin").resolve(plugin.getFileName()), plugin);
            }
        }
        installPlugin();
        write("containers.conf", """
                [containers]
                default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]
                [network]
                network_backend = "cni"
                cni_plugin_dirs = ["%1$s/cni-bin"]
                network_config_dir = "%1$s/net.d"
                [engine]
                runtime = "runc"
                cgroup_manager = "cgroupfs"
                events_logger = "file"
                events_logfile_path = "%1$s/events.log"
                tmp_dir = "%1$s/tmp"
                """.formatted(work));
        write("storage.conf", """
                [storage]
                driver = "vfs"
                graphroot = "%1$s/graph"
                runroot = "%1$s/run"
                """.formatted(work));
        for (Host h : tb.hosts()) {
            int n = tb.hosts().indexOf(h) + 1;
            write("net.d/" + network(h) + ".conflist", conflist(h, n));
            Path pins = pinRoot(h);
            // xmasq up: the node's datapath, host NIC attached (the CLI does the same through this API)
            XMasq x = lib.inNetns(h.netns().path(), () -> {
                XMasq m = XMasq.builder().pinRoot(pins).libBpf(lib).open();
                try {
                    m.attachHost(h.nic());
                    return m;
                } catch (RuntimeException e) {
                    m.down();
                    throw e;
                }
            });
            nodes.put(h.name(), x);
        }
    }

    private String conflist(Host h, int n) {
        return """
                {"cniVersion": "1.0.0", "name": "%1$s", "plugins": [
                  {"type": "bridge", "bridge": "%2$s", "isGateway": true, "ipMasq": false, "mtu": %3$d,
                   "ipam": {"type": "host-local", "dataDir": "%4$s/ipam-h%5$d",
                            "ranges": [[{"subnet": "10.244.%5$d.0/24", "rangeStart": "10.244.%5$d.10",
                                         "rangeEnd": "10.244.%5$d.200", "gateway": "10.244.%5$d.1"}]],
                            "routes": [{"dst": "0.0.0.0/0"}]}},
                  {"type": "xmasq-cni", "pinRoot": "%6$s", "stateDir": "%4$s/state-h%5$d"}
                ]}
                """.formatted(network(h), Testbed.BRIDGE, Testbed.OVERLAY_MTU, work, n, pinRoot(h));
    }

    /** bin/xmasq-cni install into the CNI bin directory, then a timing wrapper in front of it. */
    private void installPlugin() throws IOException {
        Path bin = work.resolve("cni-bin");
        Path jar = work.resolve("xmasq-examples-cni.jar");
        jarClasses(Path.of("target/classes"), jar);
        List<String> cp = new ArrayList<>(List.of(jar.toString()));
        String testCp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        for (String e : testCp.split(":")) {
            String f = Path.of(e).getFileName().toString();
            if ((f.startsWith("xmasq-") || f.startsWith("slf4j-api") || f.startsWith("slf4j-simple")
                    || f.startsWith("jna-")) && e.endsWith(".jar")) {
                cp.add(e);
            } else if (e.endsWith("/classes") && !e.contains("examples")) {
                cp.add(e); // a reactor module not packaged yet
            }
        }
        Path launcher = Path.of("..", "bin", "xmasq-cni").toAbsolutePath().normalize();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Map<String, String> env = new LinkedHashMap<>();
        env.put("XMASQ_JAVA", java);
        env.put("XMASQ_CNI_CLASSPATH", String.join(":", cp));
        env.put("XMASQ_CNI_CACHE", work.resolve("xmasq-cni.cache").toString());
        // the plugin's backend is the launcher's default (JNA: it starts faster), whatever this JVM uses
        Result r = run(Duration.ofSeconds(60), env, launcher.toString(), "install", bin.toString());
        if (r.rc() != 0) {
            throw new IllegalStateException("bin/xmasq-cni install failed: " + r.out());
        }
        Files.move(bin.resolve("xmasq-cni"), bin.resolve("xmasq-cni.real"));
        // every invocation: command, container, wall seconds, user and system CPU seconds (the plugin's process
        // and its children), exit status; JVM start included
        Files.writeString(bin.resolve("xmasq-cni"), """
                #!/bin/sh
                exec /usr/bin/time -a -o %2$s/plugin-times.log -f "$CNI_COMMAND $CNI_CONTAINERID %%e %%U %%S %%x" \\
                  %1$s/xmasq-cni.real "$@"
                """.formatted(bin, work));
        Files.setPosixFilePermissions(bin.resolve("xmasq-cni"), PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static void jarClasses(Path classes, Path jar) throws IOException {
        try (OutputStream o = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(o);
             Stream<Path> s = Files.walk(classes)) {
            for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
                j.putNextEntry(new JarEntry(classes.relativize(p).toString()));
                j.write(Files.readAllBytes(p));
                j.closeEntry();
            }
        }
    }

    Path pinRoot(Host h) {
        return Path.of("/sys/fs/bpf", tb.prefix() + "-" + h.name());
    }

    String network(Host h) {
        return tb.prefix() + "-" + h.name();
    }

    /** The interfaces with XMasq programs on host {@code h}, as a freshly re-adopting instance sees them. */
    List<AttachedInterface> attached(Host h) {
        return lib.inNetns(h.netns().path(), () -> {
            try (XMasq x = XMasq.builder().pinRoot(pinRoot(h)).libBpf(lib).openPinned()) {
                return x.attachedInterfaces();
            }
        });
    }

    /** The name of interface {@code ifindex} in host {@code h}, or null. */
    String ifName(Host h, int ifindex) {
        return lib.inNetns(h.netns().path(), () -> lib.ifIndexToName(ifindex));
    }

    XMasq node(Host h) {
        return nodes.get(h.name());
    }

    /** One timed plugin invocation: wall and CPU (user + system) milliseconds. */
    record Timing(long wallMs, long cpuMs) {
    }

    /** The timings of the plugin's successful invocations for {@code command}, in order. */
    List<Timing> pluginTimes(String command) throws IOException {
        Path log = work.resolve("plugin-times.log");
        List<Timing> out = new ArrayList<>();
        if (!Files.exists(log)) {
            return out;
        }
        for (String line : Files.readAllLines(log)) {
            String[] f = line.trim().split(" ");
            if (f.length == 6 && f[0].equals(command) && f[5].equals("0")) {
                out.add(new Timing(Math.round(Double.parseDouble(f[2]) * 1000),
                        Math.round((Double.parseDouble(f[3]) + Double.parseDouble(f[4])) * 1000)));
            }
        }
        return out;
    }

    /** podman, for host {@code h}: in its network namespace, with this fixture's configuration. */
    Result podman(Host h, String... args) {
        List<String> cmd = new ArrayList<>(List.of("nsenter", "--net=" + h.netns().path(), "podman",
                "--log-level=error"));
        cmd.addAll(List.of(args));
        return run(PODMAN_TIMEOUT, podmanEnv(), cmd.toArray(String[]::new));
    }

    private Map<String, String> podmanEnv() {
        return Map.of("CONTAINERS_CONF", work.resolve("containers.conf").toString(), "CONTAINERS_STORAGE_CONF",
                work.resolve("storage.conf").toString());
    }

    /** Starts a container named PREFIX-{@code name} on {@code h} with {@code ip}; returns its full name. */
    String runContainer(Host h, String name, String ip) {
        String full = tb.prefix() + "-" + name;
        Result r = podman(h, "run", "-d", "--name", full, "--network", network(h), "--ip", ip, "--rootfs",
                work.resolve("rootfs") + ":O", "/bin/sleep", "3600");
        if (r.rc() != 0) {
            throw new IllegalStateException("podman run " + full + " on " + h.name() + " failed: " + r.out());
        }
        return full;
    }

    /** podman rm -f (runs the CNI DEL). */
    void remove(Host h, String container) {
        Result r = podman(h, "rm", "-f", "-t", "0", container);
        if (r.rc() != 0) {
            throw new IllegalStateException("podman rm " + container + " failed: " + r.out());
        }
    }

    /** ping from a container: {@code count} echo requests 0.2 s apart; true when all were answered. */
    boolean ping(Host h, String container, String ip, int count) {
        Result r = podman(h, "exec", container, "ping", "-c", String.valueOf(count), "-i", "0.2", "-W", "2", ip);
        LOG.debug("ping {} -> {}: {}", container, ip, r.out());
        return r.rc() == 0 && r.out().contains(count + " packets received");
    }

    @Override
    public void close() {
        List<Throwable> problems = new ArrayList<>();
        for (Host h : tb.hosts()) {
            try {
                Result r = podman(h, "rm", "-a", "-f", "-t", "0");
                if (r.rc() != 0) {
                    LOG.warn("podman rm -a on {}: {}", h.name(), r.out());
                }
            } catch (RuntimeException e) {
                problems.add(e);
            }
        }
        for (Host h : tb.hosts()) {
            XMasq x = nodes.remove(h.name());
            if (x != null) {
                try {
                    lib.inNetns(h.netns().path(), () -> {
                        x.down();
                        return null;
                    });
                } catch (RuntimeException e) {
                    problems.add(e);
                }
            }
        }
        try {
            tb.close();
        } catch (RuntimeException e) {
            problems.add(e);
        }
        try {
            deleteWork();
        } catch (IOException | RuntimeException e) {
            problems.add(e);
        }
        if (!problems.isEmpty()) {
            IllegalStateException e = new IllegalStateException("podman fixture cleanup: " + problems.size()
                    + " problems");
            problems.forEach(e::addSuppressed);
            throw e;
        }
    }

    private void deleteWork() throws IOException {
        if (!Files.exists(work, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        // podman's leftovers (an overlay rootfs of a container that could not be removed) must not be followed
        for (String line : Files.readAllLines(Path.of("/proc/self/mounts"))) {
            String[] f = line.split(" ");
            if (f.length > 1 && f[1].startsWith(work + "/")) {
                run(Duration.ofSeconds(20), Map.of(), "umount", "-l", f[1]);
            }
        }
        try (Stream<Path> s = Files.walk(work)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private void write(String name, String text) throws IOException {
        Files.writeString(work.resolve(name), text, StandardCharsets.UTF_8);
    }

    record Result(int rc, String out) {
    }

    static Result run(Duration timeout, Map<String, String> env, String... command) {
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
            pb.environment().putAll(env);
            Path out = Files.createTempFile("xmt-cmd", ".out");
            try {
                pb.redirectOutput(out.toFile());
                Process p = pb.start();
                p.getOutputStream().close();
                if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly();
                    p.waitFor(10, TimeUnit.SECONDS);
                    return new Result(-2, "timed out after " + timeout + ": " + String.join(" ", command) + "\n"
                            + Files.readString(out));
                }
                return new Result(p.exitValue(), Files.readString(out));
            } finally {
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            return new Result(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, e.toString());
        }
    }
}
