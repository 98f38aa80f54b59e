package org.xmasq.examples.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** The plugin's JSON: what it writes parses back to the same value, and malformed input is refused with a place. */
class JsonWritesBackWhatItReads {
    @Provide
    Arbitrary<Object> values() {
        Arbitrary<Object> leaf = Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(12).map(s -> (Object) s),
                Arbitraries.longs().map(l -> (Object) l),
                Arbitraries.of(Boolean.TRUE, Boolean.FALSE, Json.NULL),
                Arbitraries.doubles().between(-1e9, 1e9).filter(d -> d != Math.rint(d)).map(d -> (Object) d));
        return Arbitraries.recursive(() -> leaf, inner -> Arbitraries.oneOf(
                inner.list().ofMaxSize(4).map(l -> (Object) l),
                Arbitraries.maps(Arbitraries.strings().all().ofMaxLength(6), inner).ofMaxSize(4)
                        .map(m -> (Object) new LinkedHashMap<>(m))), 3);
    }

    @Property(tries = 300)
    void writeThenParseIsTheIdentity(@ForAll("values") Object v) {
        assertEquals(v, Json.parse(Json.write(v)));
    }

    @Test
    void escapesAndUnicodeSurvive() {
        String text = "{\"a\\\"b\":\"tab\\tnl\\n\\u00e9\\u0001\",\"n\":[-12,3.5e2,true,null]}";
        Object v = Json.parse(text);
        assertEquals(Map.of("a\"b", "tab\tnl\n\u00e9\u0001", "n", List.of(-12L, 350.0, true, Json.NULL)), v);
        assertEquals(v, Json.parse(Json.write(v)));
    }

    @Test
    void malformedInputIsRefusedWithItsOffset() {
        for (String bad : List.of("", "{", "{\"a\" 1}", "[1,]", "tru", "\"x", "{\"a\":1} x", "01x", "\"\\q\"",
                "[01]", "1.", "-", "+1", "[1 2]", "1e", "\"\u0001\"", "\"\\u12g4\"", "[".repeat(80))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse(bad), bad);
            assertEquals(true, e.getMessage().contains("offset"), e.getMessage());
        }
    }
}
