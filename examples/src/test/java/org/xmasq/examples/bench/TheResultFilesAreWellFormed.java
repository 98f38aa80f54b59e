package org.xmasq.examples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.xmasq.examples.testbed.Scope;

/** The SVG chart parses as XML with one bar per measured configuration and workload; the CSVs are rectangular. */
class TheResultFilesAreWellFormed {
    @TempDir
    Path dir;

    private final Report report = new Report(List.of(
            new Measurement(1, Config.HOST, Scope.INTER_HOST, Workload.TCP_STREAM, Map.of(Metric.GBPS, 10.0,
                    Metric.CPU_US_PER_MB, 500.0)),
            new Measurement(1, Config.OVERLAY, Scope.INTER_HOST, Workload.TCP_STREAM, Map.of(Metric.GBPS, 5.0,
                    Metric.CPU_US_PER_MB, 800.0)),
            new Measurement(1, Config.XMASQ, Scope.INTER_HOST, Workload.TCP_STREAM, Map.of(Metric.GBPS, 7.5,
                    Metric.CPU_US_PER_MB, 600.0))), "a <title> & more");

    @Test
    void theSvgIsXmlWithABarPerConfigurationAndPanel() throws Exception {
        Path svg = dir.resolve("chart.svg");
        report.writeSvg(svg);
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(svg.toFile());
        assertEquals("svg", doc.getDocumentElement().getNodeName());
        // background + 3 legend swatches + 3 bars in each of the two panels
        assertEquals(1 + 3 + 6, doc.getElementsByTagName("rect").getLength());
        assertTrue(Files.readString(svg).contains("<title>inter-host|TCP stream overlay: 0.500</title>"));
        assertTrue(Files.readString(svg).contains("a &lt;title&gt; &amp; more"));
    }

    @Test
    void everyCsvRowHasTheHeadersColumnCount() throws Exception {
        report.writeRawCsv(dir.resolve("raw.csv"));
        report.writeSummaryCsv(dir.resolve("summary.csv"));
        for (String f : List.of("raw.csv", "summary.csv")) {
            List<String> lines = Files.readAllLines(dir.resolve(f));
            int cols = lines.get(0).split(",", -1).length;
            assertTrue(lines.size() > 1, f);
            for (String l : lines) {
                assertEquals(cols, l.replaceAll("\"[^\"]*\"", "q").split(",", -1).length, f + ": " + l);
            }
        }
    }
}
