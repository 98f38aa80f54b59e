package org.xmasq.bpf;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * A codec for a C struct built field by field, with explicit padding, mirroring the C declaration:
 *
 * <pre>{@code
 * var b = StructCodec.<TestKey>builder("test_key");
 * var addr  = b.field("addr", Codecs.ipv4(), TestKey::addr);
 * var port  = b.field("port", Codecs.u16Network(), TestKey::port);
 * var proto = b.field("proto", Codecs.u8(), TestKey::proto);
 * b.pad(1);
 * Codec<TestKey> codec = b.build(v -> new TestKey(v.get(addr), v.get(port), v.get(proto)));
 * }</pre>
 *
 * {@link Builder#build} checks what a C compiler would do: every field at a multiple of its alignment and the
 * total size a multiple of the struct's alignment; otherwise it says which {@code pad(n)} is missing. Padding bytes
 * are written as zeros.
 */
public final class StructCodec<T> implements Codec<T> {
    /** A field's place in the struct (for layout checks against BTF). */
    public record Field(String name, int offset, int size) {
    }

    /** A typed field handle, used to read the field back in the constructor function. */
    public static final class Member<T, F> {
        private final String name;
        private final int offset;
        private final Codec<F> codec;
        private final Function<T, F> getter;
        private final Builder<T> owner;

        private Member(String name, int offset, Codec<F> codec, Function<T, F> getter, Builder<T> owner) {
            this.name = name;
            this.offset = offset;
            this.codec = codec;
            this.getter = getter;
            this.owner = owner;
        }

        public String name() {
            return name;
        }

        public int offset() {
            return offset;
        }
    }

    /** The encoded struct during decoding: read each field with {@link #get}. */
    public static final class Values {
        private final ByteBuffer buf;
        private final int base;
        private final Builder<?> owner;

        private Values(ByteBuffer buf, int base, Builder<?> owner) {
            this.buf = buf;
            this.base = base;
            this.owner = owner;
        }

        public <F> F get(Member<?, F> member) {
            if (member.owner != owner) {
                throw new IllegalArgumentException("field " + member.name + " belongs to another struct");
            }
            return member.codec.decode(buf, base + member.offset);
        }
    }

    private final String name;
    private final int size;
    private final int alignment;
    private final List<Member<T, ?>> members;
    private final int[][] pads;
    private final Function<Values, T> constructor;
    private final Builder<T> owner;

    private StructCodec(Builder<T> b, Function<Values, T> constructor) {
        this.name = b.name;
        this.size = b.offset;
        this.alignment = b.alignment;
        this.members = List.copyOf(b.members);
        this.pads = b.pads.toArray(new int[0][]);
        this.constructor = constructor;
        this.owner = b;
    }

    public static <T> Builder<T> builder(String name) {
        return new Builder<>(name);
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public int alignment() {
        return alignment;
    }

    @Override
    public String name() {
        return name;
    }

    /** Fields in declaration order with their offsets. */
    public List<Field> fields() {
        List<Field> out = new ArrayList<>();
        for (Member<T, ?> m : members) {
            out.add(new Field(m.name, m.offset, m.codec.size()));
        }
        return out;
    }

    @Override
    public void encode(T value, ByteBuffer buf, int offset) {
        Objects.requireNonNull(value, name);
        for (Member<T, ?> m : members) {
            encodeMember(m, value, buf, offset);
        }
        for (int[] p : pads) {
            Bytes.zero(buf, offset + p[0], p[1]);
        }
    }

    private static <T, F> void encodeMember(Member<T, F> m, T value, ByteBuffer buf, int offset) {
        F f = m.getter.apply(value);
        if (f == null) {
            throw new NullPointerException("field " + m.name + " is null");
        }
        m.codec.encode(f, buf, offset + m.offset);
    }

    @Override
    public T decode(ByteBuffer buf, int offset) {
        return constructor.apply(new Values(buf, offset, owner));
    }

    @Override
    public String toString() {
        return "struct " + name + " (" + size + " bytes) " + fields();
    }

    public static final class Builder<T> {
        private final String name;
        private final List<Member<T, ?>> members = new ArrayList<>();
        private final List<int[]> pads = new ArrayList<>();
        private int offset;
        private int alignment = 1;
        private boolean built;

        private Builder(String name) {
            this.name = Objects.requireNonNull(name, "name");
        }

        public <F> Member<T, F> field(String fieldName, Codec<F> codec, Function<T, F> getter) {
            checkOpen();
            Objects.requireNonNull(codec, "codec");
            Objects.requireNonNull(getter, "getter");
            int align = codec.alignment();
            if (offset % align != 0) {
                int missing = align - offset % align;
                throw new IllegalArgumentException("struct " + name + ": field " + fieldName + " at offset " + offset
                        + " needs " + align + "-byte alignment; add pad(" + missing + ") before it");
            }
            Member<T, F> m = new Member<>(fieldName, offset, codec, getter, this);
            members.add(m);
            offset += codec.size();
            alignment = Math.max(alignment, align);
            return m;
        }

        /** {@code bytes} of padding (always written as zeros). */
        public Builder<T> pad(int bytes) {
            checkOpen();
            if (bytes <= 0) {
                throw new IllegalArgumentException("padding must be > 0 bytes");
            }
            pads.add(new int[] {offset, bytes});
            offset += bytes;
            return this;
        }

        public StructCodec<T> build(Function<Values, T> constructor) {
            checkOpen();
            Objects.requireNonNull(constructor, "constructor");
            if (members.isEmpty()) {
                throw new IllegalArgumentException("struct " + name + " has no fields");
            }
            if (offset % alignment != 0) {
                throw new IllegalArgumentException("struct " + name + ": size " + offset
                        + " is not a multiple of its alignment " + alignment + "; add pad("
                        + (alignment - offset % alignment) + ") at the end");
            }
            built = true;
            return new StructCodec<>(this, constructor);
        }

        private void checkOpen() {
            if (built) {
                throw new IllegalStateException("struct " + name + " is already built");
            }
        }
    }
}
