package org.xmasq.libbpf.ffm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.PaddingLayout;
import java.lang.foreign.StructLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every struct the FFM bindings pass to libbpf or the kernel has the size, and every named field the offset and
 * size, that gcc computes from the installed headers (&lt;bpf/libbpf.h&gt;, &lt;bpf/bpf.h&gt;, &lt;linux/bpf.h&gt;).
 * The C program is generated from the Java layouts themselves, so a field added to a layout is checked too.
 */
class StructLayoutsMatchTheCHeaders {

    /** A Java layout, the C struct it mirrors, and C designators for Java field paths that differ. */
    private record Binding(StructLayout layout, String cStruct, Map<String, String> cNames) {
    }

    private static final List<Binding> BINDINGS = List.of(
            new Binding(BpfObjectOpenOpts.LAYOUT, "bpf_object_open_opts", Map.of()),
            new Binding(BpfMapBatchOpts.LAYOUT, "bpf_map_batch_opts", Map.of()),
            new Binding(BpfMapCreateOpts.LAYOUT, "bpf_map_create_opts", Map.of()),
            new Binding(BpfTestRunOpts.LAYOUT, "bpf_test_run_opts", Map.of()),
            new Binding(BpfTcHook.LAYOUT, "bpf_tc_hook", Map.of()),
            new Binding(BpfTcOpts.LAYOUT, "bpf_tc_opts", Map.of()),
            new Binding(BpfMapInfo.LAYOUT, "bpf_map_info", Map.of()),
            new Binding(BpfProgInfo.LAYOUT, "bpf_prog_info", Map.of()),
            // The installed UAPI header predates the tcx member; its union keeps two __u32 at the same places.
            new Binding(BpfLinkInfo.LAYOUT, "bpf_link_info",
                    Map.of("tcx.ifindex", "xdp.ifindex", "tcx.attach_type", "netns.attach_type")));

    /** "struct.field" (or "struct" for the whole) -> {offset, size} as Java sees it. */
    private static Map<String, long[]> javaFigures() {
        Map<String, long[]> figures = new LinkedHashMap<>();
        for (Binding b : BINDINGS) {
            figures.put(b.cStruct(), new long[] {0, b.layout().byteSize()});
            collect(b.cStruct() + ".", "", b.layout(), 0, figures);
        }
        return figures;
    }

    private static void collect(String prefix, String path, GroupLayout group, long base, Map<String, long[]> out) {
        long offset = base;
        for (MemoryLayout m : group.memberLayouts()) {
            long at = group instanceof StructLayout ? offset : base;
            if (!(m instanceof PaddingLayout) && m.name().isPresent()) {
                String p = path + m.name().get();
                if (m instanceof GroupLayout nested) {
                    collect(prefix, p + ".", nested, at, out);
                } else {
                    out.put(prefix + p, new long[] {at, m.byteSize()});
                }
            }
            offset += m.byteSize();
        }
    }

    private static String cProgram() {
        StringBuilder c = new StringBuilder("""
                #include <stdio.h>
                #include <stddef.h>
                #include <linux/bpf.h>
                #include <bpf/bpf.h>
                #include <bpf/libbpf.h>
                int main(void) {
                """);
        for (String key : javaFigures().keySet()) {
            int dot = key.indexOf('.');
            if (dot < 0) {
                c.append("    printf(\"%s 0 %zu\\n\", \"").append(key).append("\", sizeof(struct ").append(key)
                        .append("));\n");
                continue;
            }
            String struct = key.substring(0, dot);
            String javaPath = key.substring(dot + 1);
            String cPath = BINDINGS.stream().filter(b -> b.cStruct().equals(struct)).findFirst().orElseThrow()
                    .cNames().getOrDefault(javaPath, javaPath);
            c.append("    printf(\"%s %zu %zu\\n\", \"").append(key).append("\", offsetof(struct ").append(struct)
                    .append(", ").append(cPath).append("), sizeof(((struct ").append(struct).append(" *)0)->")
                    .append(cPath).append("));\n");
        }
        return c.append("    return 0;\n}\n").toString();
    }

    private static List<String> run(Path dir, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        List<String> lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "timed out: " + String.join(" ", command));
        assertEquals(0, p.exitValue(), String.join(" ", command) + " failed:\n" + String.join("\n", lines));
        return lines;
    }

    @Test
    void everyStructSizeAndFieldOffsetEqualsWhatGccComputes(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("layouts.c"), cProgram());
        run(dir, "gcc", "-Wall", "-o", "layouts", "layouts.c");
        Map<String, long[]> c = new LinkedHashMap<>();
        for (String line : run(dir, dir.resolve("layouts").toString())) {
            String[] f = line.split(" ");
            c.put(f[0], new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])});
        }
        Map<String, long[]> java = javaFigures();
        assertEquals(java.keySet(), c.keySet(), "the C program printed a figure for every Java field");
        List<String> mismatches = new ArrayList<>();
        java.forEach((key, j) -> {
            long[] g = c.get(key);
            if (j[0] != g[0] || j[1] != g[1]) {
                mismatches.add(key + ": Java offset " + j[0] + " size " + j[1] + ", C offset " + g[0] + " size " + g[1]);
            }
        });
        assertTrue(mismatches.isEmpty(), "layouts differ from the C headers:\n" + String.join("\n", mismatches));
        // Sanity: the check covered every binding and the fields the backend reads.
        assertTrue(java.containsKey("bpf_link_info.tcx.attach_type"));
        assertTrue(java.size() > 100, "expected every field of the nine structs, got " + java.size());
    }
}
