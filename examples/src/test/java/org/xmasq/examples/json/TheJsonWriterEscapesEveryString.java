package org.xmasq.examples.json;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** What the CLI prints with --json is valid JSON whatever the strings hold, and reads back as written. */
class TheJsonWriterEscapesEveryString {
    @Test
    void quotesBackslashesAndControlCharactersAreEscaped() {
        assertEquals("\"a\\\"b\\\\c\\n\\t\\u0001\\u001f\u00e9\"", Json.write("a\"b\\c\n\t\u0001\u001f\u00e9"));
    }

    @Test
    void backspaceFormFeedAndLineSeparatorsAreEscapedToo() {
        assertEquals("\"\\b\\f\\u2028\\u2029\"", Json.write("\b\f\u2028\u2029"));
    }

    @Test
    void mapsListsNumbersBooleansAndNull() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("n", 42L);
        m.put("x", List.of(1, true, "s"));
        m.put("z", null);
        m.put("d", Double.NaN);
        m.put("j", Json.NULL);
        m.put("f", 2.5);
        assertEquals("{\"n\":42,\"x\":[1,true,\"s\"],\"z\":null,\"d\":null,\"j\":null,\"f\":2.5}", Json.write(m));
    }

    @Property(tries = 300)
    void anyStringRoundTrips(@ForAll String s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(s, s);
        m.put("list", new ArrayList<>(List.of(s, -7L)));
        assertEquals(m, Json.parse(Json.write(m)));
    }
}
