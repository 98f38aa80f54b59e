package org.xmasq.bpf.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.xmasq.bpf.StructCodec;
import org.xmasq.libbpf.support.Shell;

/**
 * The named structs of a BPF object's BTF (sizes and member offsets), read with {@code bpftool btf dump ... format
 * raw}, so a test can compare a {@link StructCodec} with what clang laid out.
 */
public final class BtfStructs {
    /** A BTF struct: size in bytes and member name -> byte offset, in declaration order. */
    public record Struct(String name, int size, Map<String, Integer> offsets) {
    }

    private static final Pattern STRUCT = Pattern.compile("^\\[\\d+] STRUCT '([^']+)' size=(\\d+) vlen=(\\d+)");
    private static final Pattern MEMBER = Pattern.compile("^\\s+'([^']+)' type_id=\\d+ bits_offset=(\\d+)");

    private final Map<String, Struct> structs;

    private BtfStructs(Map<String, Struct> structs) {
        this.structs = structs;
    }

    /** Reads the BTF of a classpath resource (copied to a temporary file for bpftool, deleted afterwards). */
    public static BtfStructs ofResource(String resource) {
        try (InputStream in = BtfStructs.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no resource " + resource);
            }
            Path tmp = Files.createTempFile("xmt-btf-", ".o");
            try {
                Files.write(tmp, in.readAllBytes());
                return parse(Shell.check("bpftool", "btf", "dump", "file", tmp.toString(), "format", "raw"));
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static BtfStructs parse(String raw) {
        Map<String, Struct> out = new LinkedHashMap<>();
        String[] lines = raw.split("\n");
        for (int i = 0; i < lines.length; i++) {
            Matcher s = STRUCT.matcher(lines[i]);
            if (!s.find() || s.group(1).equals("(anon)")) {
                continue;
            }
            Map<String, Integer> offsets = new LinkedHashMap<>();
            int vlen = Integer.parseInt(s.group(3));
            for (int j = 1; j <= vlen && i + j < lines.length; j++) {
                Matcher m = MEMBER.matcher(lines[i + j]);
                if (m.find()) {
                    offsets.put(m.group(1), Integer.parseInt(m.group(2)) / 8);
                }
            }
            out.put(s.group(1), new Struct(s.group(1), Integer.parseInt(s.group(2)), offsets));
        }
        return new BtfStructs(out);
    }

    public Struct struct(String name) {
        Struct s = structs.get(name);
        if (s == null) {
            throw new IllegalArgumentException("no struct " + name + " in BTF (has " + structs.keySet() + ")");
        }
        return s;
    }

    /**
     * Where a codec and the BTF struct of the same name disagree: size, a field's offset, a field BTF lacks, or a
     * BTF member the codec neither encodes nor pads (members named pad* count as padding). Empty when they agree.
     */
    public List<String> differences(StructCodec<?> codec) {
        Struct s = struct(codec.name());
        List<String> diffs = new ArrayList<>();
        if (s.size() != codec.size()) {
            diffs.add("size: BTF " + s.size() + ", codec " + codec.size());
        }
        List<String> codecFields = new ArrayList<>();
        for (StructCodec.Field f : codec.fields()) {
            codecFields.add(f.name());
            Integer off = s.offsets().get(f.name());
            if (off == null) {
                diffs.add("field " + f.name() + ": not in BTF struct " + s.name());
            } else if (off != f.offset()) {
                diffs.add("field " + f.name() + ": BTF offset " + off + ", codec " + f.offset());
            }
        }
        for (String member : s.offsets().keySet()) {
            if (!codecFields.contains(member) && !member.startsWith("pad")) {
                diffs.add("member " + member + ": in BTF, not in the codec");
            }
        }
        return diffs;
    }
}
