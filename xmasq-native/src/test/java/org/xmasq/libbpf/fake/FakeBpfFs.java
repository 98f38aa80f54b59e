package org.xmasq.libbpf.fake;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.xmasq.libbpf.BpfFs;

/**
 * The fake's bpffs: pins are entries of {@link FakeLibBpf}'s pin table, not files, and directories exist implicitly
 * (nothing to create or remove). Paths outside the fake's mount point are not on bpffs.
 */
final class FakeBpfFs implements BpfFs {
    private final FakeLibBpf fake;

    FakeBpfFs(FakeLibBpf fake) {
        this.fake = fake;
    }

    @Override
    public void checkMounted(Path path, String operation) {
        Path abs = path.toAbsolutePath().normalize();
        if (!fake.isOnBpfFs(abs.toString())) {
            throw BpfFs.notBpfFs(operation, abs, "not under the fake's bpffs root");
        }
    }

    @Override
    public void createParent(Path pin) {
    }

    @Override
    public boolean unlink(Path pin) {
        return fake.unlink(BpfFs.pathString(pin));
    }

    @Override
    public boolean exists(Path path) {
        return fake.isPinned(BpfFs.pathString(path));
    }

    @Override
    public List<Path> list(Path dir) {
        Path abs = dir.toAbsolutePath().normalize();
        List<Path> out = new ArrayList<>();
        for (String p : fake.pinnedPaths()) {
            Path pin = Path.of(p);
            if (abs.equals(pin.getParent())) {
                out.add(pin);
            }
        }
        out.sort(null);
        return out;
    }

    @Override
    public boolean removeEmptyDirectory(Path dir) {
        return true;
    }
}
