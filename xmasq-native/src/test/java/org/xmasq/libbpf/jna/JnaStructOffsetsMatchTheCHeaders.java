package org.xmasq.libbpf.jna;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xmasq.libbpf.support.Shell;

/**
 * Every hand-written offset in {@link Structs} equals what gcc computes from libbpf's and the kernel's headers on
 * this machine (sizeof/offsetof in a generated C program).
 */
class JnaStructOffsetsMatchTheCHeaders {

    private static Map<String, Integer> expectations() {
        Map<String, Integer> m = new LinkedHashMap<>();
        m.put("sizeof(struct bpf_object_open_opts)", Structs.OpenOpts.SIZE);
        m.put("offsetof(struct bpf_object_open_opts, sz)", Structs.OpenOpts.SZ);
        m.put("offsetof(struct bpf_object_open_opts, object_name)", Structs.OpenOpts.OBJECT_NAME);

        m.put("sizeof(struct bpf_map_batch_opts)", Structs.BatchOpts.SIZE);
        m.put("offsetof(struct bpf_map_batch_opts, sz)", Structs.BatchOpts.SZ);
        m.put("offsetof(struct bpf_map_batch_opts, elem_flags)", Structs.BatchOpts.ELEM_FLAGS);
        m.put("offsetof(struct bpf_map_batch_opts, flags)", Structs.BatchOpts.FLAGS);

        m.put("sizeof(struct bpf_map_create_opts)", Structs.MapCreateOpts.SIZE);
        m.put("offsetof(struct bpf_map_create_opts, sz)", Structs.MapCreateOpts.SZ);
        m.put("offsetof(struct bpf_map_create_opts, map_flags)", Structs.MapCreateOpts.MAP_FLAGS);

        m.put("sizeof(struct bpf_test_run_opts)", Structs.TestRunOpts.SIZE);
        m.put("offsetof(struct bpf_test_run_opts, sz)", Structs.TestRunOpts.SZ);
        m.put("offsetof(struct bpf_test_run_opts, data_in)", Structs.TestRunOpts.DATA_IN);
        m.put("offsetof(struct bpf_test_run_opts, data_out)", Structs.TestRunOpts.DATA_OUT);
        m.put("offsetof(struct bpf_test_run_opts, data_size_in)", Structs.TestRunOpts.DATA_SIZE_IN);
        m.put("offsetof(struct bpf_test_run_opts, data_size_out)", Structs.TestRunOpts.DATA_SIZE_OUT);
        m.put("offsetof(struct bpf_test_run_opts, ctx_in)", Structs.TestRunOpts.CTX_IN);
        m.put("offsetof(struct bpf_test_run_opts, ctx_out)", Structs.TestRunOpts.CTX_OUT);
        m.put("offsetof(struct bpf_test_run_opts, ctx_size_in)", Structs.TestRunOpts.CTX_SIZE_IN);
        m.put("offsetof(struct bpf_test_run_opts, ctx_size_out)", Structs.TestRunOpts.CTX_SIZE_OUT);
        m.put("offsetof(struct bpf_test_run_opts, retval)", Structs.TestRunOpts.RETVAL);
        m.put("offsetof(struct bpf_test_run_opts, repeat)", Structs.TestRunOpts.REPEAT);
        m.put("offsetof(struct bpf_test_run_opts, duration)", Structs.TestRunOpts.DURATION);

        m.put("sizeof(struct bpf_tc_hook)", Structs.TcHook.SIZE);
        m.put("offsetof(struct bpf_tc_hook, ifindex)", Structs.TcHook.IFINDEX);
        m.put("offsetof(struct bpf_tc_hook, attach_point)", Structs.TcHook.ATTACH_POINT);
        m.put("offsetof(struct bpf_tc_hook, parent)", Structs.TcHook.PARENT);

        m.put("sizeof(struct bpf_tc_opts)", Structs.TcOpts.SIZE);
        m.put("offsetof(struct bpf_tc_opts, prog_fd)", Structs.TcOpts.PROG_FD);
        m.put("offsetof(struct bpf_tc_opts, flags)", Structs.TcOpts.FLAGS);
        m.put("offsetof(struct bpf_tc_opts, prog_id)", Structs.TcOpts.PROG_ID);
        m.put("offsetof(struct bpf_tc_opts, handle)", Structs.TcOpts.HANDLE);
        m.put("offsetof(struct bpf_tc_opts, priority)", Structs.TcOpts.PRIORITY);
        m.put("BPF_TC_F_REPLACE", Structs.TcOpts.F_REPLACE);

        m.put("sizeof(struct bpf_map_info)", Structs.MapInfo.SIZE);
        m.put("offsetof(struct bpf_map_info, type)", Structs.MapInfo.TYPE);
        m.put("offsetof(struct bpf_map_info, id)", Structs.MapInfo.ID);
        m.put("offsetof(struct bpf_map_info, key_size)", Structs.MapInfo.KEY_SIZE);
        m.put("offsetof(struct bpf_map_info, value_size)", Structs.MapInfo.VALUE_SIZE);
        m.put("offsetof(struct bpf_map_info, max_entries)", Structs.MapInfo.MAX_ENTRIES);
        m.put("offsetof(struct bpf_map_info, map_flags)", Structs.MapInfo.MAP_FLAGS);
        m.put("offsetof(struct bpf_map_info, name)", Structs.MapInfo.NAME);
        m.put("sizeof(((struct bpf_map_info *)0)->name)", Structs.MapInfo.NAME_LEN);

        m.put("sizeof(struct bpf_prog_info)", Structs.ProgInfo.SIZE);
        m.put("offsetof(struct bpf_prog_info, type)", Structs.ProgInfo.TYPE);
        m.put("offsetof(struct bpf_prog_info, id)", Structs.ProgInfo.ID);
        m.put("offsetof(struct bpf_prog_info, jited_prog_len)", Structs.ProgInfo.JITED_PROG_LEN);
        m.put("offsetof(struct bpf_prog_info, xlated_prog_len)", Structs.ProgInfo.XLATED_PROG_LEN);
        m.put("offsetof(struct bpf_prog_info, name)", Structs.ProgInfo.NAME);
        m.put("sizeof(((struct bpf_prog_info *)0)->name)", Structs.ProgInfo.NAME_LEN);
        m.put("offsetof(struct bpf_prog_info, run_time_ns)", Structs.ProgInfo.RUN_TIME_NS);
        m.put("offsetof(struct bpf_prog_info, run_cnt)", Structs.ProgInfo.RUN_CNT);
        m.put("offsetof(struct bpf_prog_info, verified_insns)", Structs.ProgInfo.VERIFIED_INSNS);

        m.put("offsetof(struct bpf_link_info, type)", Structs.LinkInfo.TYPE);
        m.put("offsetof(struct bpf_link_info, id)", Structs.LinkInfo.ID);
        m.put("offsetof(struct bpf_link_info, prog_id)", Structs.LinkInfo.PROG_ID);
        m.put("offsetof(struct bpf_link_info, raw_tracepoint)", Structs.LinkInfo.UNION);
        // tcx is {__u32 ifindex; __u32 attach_type;} like netns {netns_ino, attach_type}; this header predates tcx.
        m.put("offsetof(struct bpf_link_info, netns.netns_ino)", Structs.LinkInfo.TCX_IFINDEX);
        m.put("offsetof(struct bpf_link_info, netns.attach_type)", Structs.LinkInfo.TCX_ATTACH_TYPE);
        m.put("sizeof(struct bpf_link_info) <= 64 ? 1 : 0", Structs.LinkInfo.SIZE >= 48 ? 1 : 0);
        return m;
    }

    @Test
    void everyOffsetMatches(@TempDir Path dir) throws Exception {
        Map<String, Integer> expected = expectations();
        StringBuilder c = new StringBuilder("#include <stdio.h>\n#include <stddef.h>\n#include <bpf/libbpf.h>\n"
                + "#include <bpf/bpf.h>\n#include <linux/bpf.h>\nint main(void) {\n");
        for (String expr : expected.keySet()) {
            c.append("  printf(\"%ld\\n\", (long)(").append(expr).append("));\n");
        }
        c.append("  return 0;\n}\n");
        Path src = dir.resolve("offsets.c");
        Path exe = dir.resolve("offsets");
        Files.writeString(src, c);
        Shell.check("gcc", "-o", exe.toString(), src.toString());
        String[] lines = Shell.check(exe.toString()).strip().split("\n");

        List<String> exprs = new ArrayList<>(expected.keySet());
        assertEquals(exprs.size(), lines.length);
        for (int i = 0; i < lines.length; i++) {
            assertEquals(Integer.parseInt(lines[i].strip()), expected.get(exprs.get(i)), exprs.get(i));
        }
    }
}
