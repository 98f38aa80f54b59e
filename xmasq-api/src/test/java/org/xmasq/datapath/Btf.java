package org.xmasq.datapath;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.xmasq.bpf.BpfProgram;
import org.xmasq.testing.Netns;

/**
 * The BTF of a loaded program as "bpftool btf dump id N" prints it (after libbpf's fix-ups, so .rodata variables
 * carry their real offsets): structs with member offsets and sizes, enums, datasecs.
 */
final class Btf {
    /** One member: name, byte offset, byte size, and the name of the typedef it was declared with (or ""). */
    record Member(String name, int offset, int size, String typedef) {
    }

    private record Type(int id, String kind, String name, int size, int typeId, int nrElems, List<String> lines) {
    }

    private static final Pattern HEADER = Pattern.compile("^\\[(\\d+)] (\\w+) '([^']*)'(.*)$");
    private static final Pattern SIZE = Pattern.compile("\\bsize=(\\d+)");
    private static final Pattern TYPE_ID = Pattern.compile("\\btype_id=(\\d+)");
    private static final Pattern NR_ELEMS = Pattern.compile("\\bnr_elems=(\\d+)");
    private static final Pattern MEMBER = Pattern.compile("^\\s+'([^']*)' type_id=(\\d+) bits_offset=(\\d+)");
    private static final Pattern ENUM_VALUE = Pattern.compile("^\\s+'([^']*)' val=(-?\\d+)");
    private static final Pattern VAR = Pattern.compile("^\\s+type_id=\\d+ offset=(\\d+) size=(\\d+) \\(VAR '([^']*)'\\)");

    private final Map<Integer, Type> types = new HashMap<>();

    private Btf(String dump) {
        Type current = null;
        for (String line : dump.split("\n")) {
            Matcher h = HEADER.matcher(line);
            if (h.find()) {
                String rest = h.group(4);
                current = new Type(Integer.parseInt(h.group(1)), h.group(2), h.group(3), intOf(SIZE, rest),
                        intOf(TYPE_ID, rest), intOf(NR_ELEMS, rest), new ArrayList<>());
                types.put(current.id, current);
            } else if (current != null) {
                current.lines.add(line);
            }
        }
    }

    private static int intOf(Pattern p, String s) {
        Matcher m = p.matcher(s);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    /** The BTF the kernel holds for {@code program} (bpftool prog show, then btf dump). */
    static Btf of(BpfProgram program) {
        String show = Netns.run("bpftool", "prog", "show", "id", Integer.toString(program.info().id()));
        Matcher m = Pattern.compile("btf_id (\\d+)").matcher(show);
        if (!m.find()) {
            throw new IllegalStateException("no btf_id in: " + show);
        }
        return new Btf(Netns.run("bpftool", "btf", "dump", "id", m.group(1)));
    }

    private Type named(String kind, String name) {
        return types.values().stream().filter(t -> t.kind.equals(kind) && t.name.equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " '" + name + "' in the object's BTF"));
    }

    int structSize(String name) {
        return named("STRUCT", name).size;
    }

    List<Member> structMembers(String name) {
        List<Member> out = new ArrayList<>();
        for (String line : named("STRUCT", name).lines) {
            Matcher m = MEMBER.matcher(line);
            if (m.find()) {
                int typeId = Integer.parseInt(m.group(2));
                out.add(new Member(m.group(1), Integer.parseInt(m.group(3)) / 8, sizeOf(typeId), typedefOf(typeId)));
            }
        }
        return out;
    }

    Map<String, Long> enumValues(String name) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String line : named("ENUM", name).lines) {
            Matcher m = ENUM_VALUE.matcher(line);
            if (m.find()) {
                out.put(m.group(1), Long.parseLong(m.group(2)));
            }
        }
        return out;
    }

    int datasecSize(String name) {
        return named("DATASEC", name).size;
    }

    /** The variables of a DATASEC as members (offset, size; no typedef). */
    List<Member> datasecVariables(String name) {
        List<Member> out = new ArrayList<>();
        for (String line : named("DATASEC", name).lines) {
            Matcher m = VAR.matcher(line);
            if (m.find()) {
                out.add(new Member(m.group(3), Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), ""));
            }
        }
        return out;
    }

    private int sizeOf(int id) {
        Type t = types.get(id);
        return switch (t.kind) {
            case "TYPEDEF", "VOLATILE", "CONST", "RESTRICT", "TYPE_TAG" -> sizeOf(t.typeId);
            case "ARRAY" -> t.nrElems * sizeOf(t.typeId);
            case "INT", "STRUCT", "UNION", "ENUM", "ENUM64" -> t.size;
            default -> throw new IllegalStateException("size of BTF kind " + t.kind);
        };
    }

    /** The outermost typedef name of a member's type (for arrays, of the element), e.g. "__be16". */
    private String typedefOf(int id) {
        Type t = types.get(id);
        return switch (t.kind) {
            case "TYPEDEF" -> t.name;
            case "ARRAY", "VOLATILE", "CONST" -> typedefOf(t.typeId);
            default -> "";
        };
    }
}
