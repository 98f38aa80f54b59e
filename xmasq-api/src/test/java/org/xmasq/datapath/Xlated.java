package org.xmasq.datapath;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.xmasq.bpf.BpfProgram;
import org.xmasq.testing.Netns;

/** The kernel's translated instructions of a loaded program ("bpftool prog dump xlated id N"). */
final class Xlated {
    private static final Pattern R4 = Pattern.compile("\\) r4 = (0x[0-9a-f]+|-?[0-9]+)\\s*$");

    private Xlated() {
    }

    static String dump(BpfProgram program) {
        return Netns.run("bpftool", "prog", "dump", "xlated", "id", Integer.toString(program.info().id()));
    }

    /** The constant flags argument (r4) of every bpf_skb_adjust_room call, in program order. */
    static List<Long> adjustRoomFlags(String xlated) {
        List<Long> out = new ArrayList<>();
        Long r4 = null;
        for (String line : xlated.split("\n")) {
            Matcher m = R4.matcher(line);
            if (m.find()) {
                String v = m.group(1);
                r4 = v.startsWith("0x") ? Long.parseUnsignedLong(v.substring(2), 16) : Long.parseLong(v);
            } else if (line.contains("call bpf_skb_adjust_room")) {
                if (r4 == null) {
                    throw new IllegalStateException("bpf_skb_adjust_room without a constant flags argument");
                }
                out.add(r4);
                r4 = null;
            } else if (line.matches(".*\\) r4 = .*|.*call .*")) {
                r4 = null; // r4 computed or clobbered by a call: not a constant any more
            }
        }
        return out;
    }
}
