package org.xmasq.examples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The small JSON reader handles nesting, arrays, escapes, literals and exponents, and rejects garbage. */
class JsonReadsWhatIperfPrints {
    @Test
    void nestedValuesAreReachableByPath() {
        Object root = Json.parse("{ \"a\": {\"b\": [1, 2.5e3, -3], \"s\": \"x\\\"y\\u0041\", \"t\": true,"
                + " \"n\": null} }");
        assertEquals(List.of(1.0, 2500.0, -3.0), Json.at(root, "a", "b"));
        assertEquals("x\"yA", Json.at(root, "a", "s"));
        assertEquals(Boolean.TRUE, Json.at(root, "a", "t"));
        assertNull(Json.at(root, "a", "n"));
        assertNull(Json.at(root, "a", "missing", "deeper"));
    }

    @Test
    void garbageIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\": 1} trailing"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\" 1}"));
        assertThrows(IllegalArgumentException.class, () -> Json.number(Json.parse("{\"a\": \"1\"}"), "a"));
    }
}
