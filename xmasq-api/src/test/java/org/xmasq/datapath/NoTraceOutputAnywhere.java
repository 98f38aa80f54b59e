package org.xmasq.datapath;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Invariant 8: no bpf_printk or other trace output anywhere in the datapath. Checked three ways: the helpers each
 * loaded program calls (from the kernel's translated instructions) are a known set with nothing that writes to
 * the trace pipe, perf or ring buffers; the object has no string section a printk format would live in; and no
 * C source of the datapath mentions a printk.
 */
class NoTraceOutputAnywhere extends KernelTest {
    private static final Pattern CALL = Pattern.compile("call ([A-Za-z_0-9]+)");
    private static final Set<String> ALLOWED = Set.of("__htab_map_lookup_elem", "htab_map_update_elem",
            "htab_lru_map_update_elem", "bpf_skb_pull_data", "bpf_get_hash_recalc", "bpf_redirect",
            "bpf_redirect_peer", "bpf_skb_adjust_room", "bpf_skb_check_mtu", "bpf_user_rnd_u32", "bpf_csum_level",
            "percpu_array_map_lookup_elem", "array_map_lookup_elem");

    @ParameterizedTest
    @ValueSource(strings = {DatapathObject.EGRESS_FAST_PATH, DatapathObject.INGRESS_LEARNER,
            DatapathObject.INGRESS_FAST_PATH, DatapathObject.EGRESS_LEARNER})
    void theProgramCallsNoTraceHelper(String program) {
        String xlated = Xlated.dump(dp.program(program));
        Set<String> calls = new TreeSet<>();
        Matcher m = CALL.matcher(xlated);
        while (m.find()) {
            calls.add(m.group(1));
        }
        assertFalse(calls.isEmpty(), "no helper call found: the dump format changed?");
        for (String c : calls) {
            assertFalse(c.contains("printk") || c.contains("trace") || c.contains("perf_event_output")
                    || c.contains("ringbuf") || c.contains("snprintf"), program + " calls " + c);
        }
        Set<String> unexpected = new TreeSet<>(calls);
        unexpected.removeAll(ALLOWED);
        assertEquals(Set.of(), unexpected, program + " calls helpers nobody reviewed for output");
    }

    @Test
    void theObjectHasNoStringSection() throws IOException {
        byte[] elf;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(DatapathObject.RESOURCE)) {
            elf = in.readAllBytes();
        }
        List<String> sections = sectionNames(elf);
        assertTrue(sections.contains(".rodata"), "section list unreadable: " + sections);
        for (String s : sections) {
            assertFalse(s.startsWith(".rodata.str") || s.startsWith(".rodata.cst") || s.equals(".data")
                    || s.equals(".bss"), "section " + s + " in " + sections);
        }
    }

    @Test
    void noDatapathSourceMentionsAPrintk() throws IOException {
        Path c = Path.of("..", "xmasq-bpf", "src", "main", "c");
        assertTrue(Files.isDirectory(c), "datapath sources not found at " + c.toAbsolutePath());
        List<Path> files;
        try (Stream<Path> s = Files.list(c)) {
            files = s.filter(p -> p.toString().endsWith(".c") || p.toString().endsWith(".h")).toList();
        }
        assertTrue(files.size() >= 5, "sources: " + files);
        for (Path f : files) {
            String text = Files.readString(f);
            assertFalse(text.contains("printk") || text.contains("bpf_trace") || text.contains("bpf_ringbuf")
                    || text.contains("perf_event_output"), f + " writes trace output");
        }
    }

    /** Section names of a little-endian ELF64 file. */
    private static List<String> sectionNames(byte[] elf) {
        ByteBuffer b = ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN);
        long shoff = b.getLong(0x28);
        int shentsize = b.getShort(0x3a) & 0xffff;
        int shnum = b.getShort(0x3c) & 0xffff;
        int shstrndx = b.getShort(0x3e) & 0xffff;
        long strOff = b.getLong((int) (shoff + (long) shstrndx * shentsize + 0x18));
        List<String> out = new ArrayList<>();
        for (int i = 0; i < shnum; i++) {
            int nameOff = b.getInt((int) (shoff + (long) i * shentsize));
            int start = (int) (strOff + nameOff);
            int end = start;
            while (elf[end] != 0) {
                end++;
            }
            out.add(new String(elf, start, end - start, StandardCharsets.US_ASCII));
        }
        return out;
    }
}
