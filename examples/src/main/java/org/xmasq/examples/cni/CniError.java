package org.xmasq.examples.cni;

import java.util.LinkedHashMap;
import java.util.Map;
import org.xmasq.examples.json.Json;

/**
 * A failure reported to the runtime as the CNI error object {@code {"cniVersion","code","msg","details"}} on stdout
 * with a non-zero exit status. Codes 1-11 are the spec's (CNI 1.0.0, "Error"); 100 and up are this plugin's.
 */
final class CniError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    static final int INCOMPATIBLE_VERSION = 1;
    static final int UNSUPPORTED_FIELD = 2;
    static final int UNKNOWN_CONTAINER = 3;
    static final int INVALID_ENVIRONMENT = 4;
    static final int IO_FAILURE = 5;
    static final int DECODING_FAILURE = 6;
    static final int INVALID_NETWORK_CONFIG = 7;
    static final int TRY_AGAIN_LATER = 11;
    /** The node has no XMasq datapath at the pin root (xmasq up has not run). */
    static final int NODE_NOT_SET_UP = 100;
    /** The host-side veth cannot be found or is unsuitable. */
    static final int NO_HOST_VETH = 101;
    /** CHECK found the container not (or differently) attached. */
    static final int NOT_ATTACHED = 102;
    /** Anything else (a bug, a kernel refusal). */
    static final int INTERNAL = 999;

    private final int code;
    private final String details;
    private String cniVersion;

    CniError(int code, String msg, String details) {
        super(msg);
        this.code = code;
        this.details = details == null ? "" : details;
    }

    CniError(int code, String msg) {
        this(code, msg, "");
    }

    /** Reports the error in {@code version} (the config's, when it was read but refused). */
    CniError inVersion(String version) {
        this.cniVersion = version;
        return this;
    }

    int code() {
        return code;
    }

    String details() {
        return details;
    }

    /** The error object as the spec writes it; {@code cniVersion} is the config's when it was readable. */
    String toJson(String cniVersion) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cniVersion", this.cniVersion != null ? this.cniVersion : cniVersion);
        m.put("code", (long) code);
        m.put("msg", getMessage());
        if (!details.isEmpty()) {
            m.put("details", details);
        }
        return Json.write(m);
    }
}
