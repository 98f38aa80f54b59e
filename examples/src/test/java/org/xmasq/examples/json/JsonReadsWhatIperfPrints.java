package org.xmasq.examples.json;

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
        assertEquals(List.of(1L, 2500.0, -3L), Json.at(root, "a", "b"));
        assertEquals("x\"yA", Json.at(root, "a", "s"));
        assertEquals(Boolean.TRUE, Json.at(root, "a", "t"));
        assertNull(Json.at(root, "a", "n"));
        assertNull(Json.at(root, "a", "missing", "deeper"));
    }

    @Test
    void integersAndFractionsAreBothNumbers() {
        Object root = Json.parse("{\"end\": {\"bytes\": 1234, \"lost_percent\": 0, \"bits_per_second\": 9.5e9}}");
        assertEquals(1234.0, Json.number(root, "end", "bytes"));
        assertEquals(0.0, Json.number(root, "end", "lost_percent"));
        assertEquals(9.5e9, Json.number(root, "end", "bits_per_second"));
        assertThrows(IllegalArgumentException.class, () -> Json.number(root, "end", "missing"));
    }

    @Test
    void garbageIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\": 1} trailing"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\" 1}"));
        assertThrows(IllegalArgumentException.class, () -> Json.number(Json.parse("{\"a\": \"1\"}"), "a"));
    }
}
