package org.xmasq.libbpf;

/** libbpf's major.minor version. */
public record LibBpfVersion(int major, int minor) implements Comparable<LibBpfVersion> {
    public static final LibBpfVersion MINIMUM = new LibBpfVersion(1, 0);

    @Override
    public int compareTo(LibBpfVersion o) {
        return major != o.major ? Integer.compare(major, o.major) : Integer.compare(minor, o.minor);
    }

    public boolean atLeast(LibBpfVersion o) {
        return compareTo(o) >= 0;
    }

    @Override
    public String toString() {
        return major + "." + minor;
    }
}
