package org.xmasq.examples.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.xmasq.examples.testbed.Scope;

/** Medians over rounds, the printed table, the CSV files and the SVG chart of one benchmark run. */
final class Report {
    private final List<Measurement> measurements;
    private final String title;

    Report(List<Measurement> measurements, String title) {
        this.measurements = List.copyOf(measurements);
        this.title = title;
    }

    /** The (scope, workload) pairs measured in this run, in table order (a run may select some). */
    private List<Scope> scopes() {
        return Arrays.stream(Scope.values()).filter(s -> measurements.stream().anyMatch(x -> x.scope() == s)).toList();
    }

    private List<Workload> workloads() {
        return Arrays.stream(Workload.values()).filter(w -> measurements.stream().anyMatch(x -> x.workload() == w))
                .toList();
    }

    /** Median over rounds of one metric, NaN when never measured. */
    double median(Config c, Scope s, Workload w, Metric m) {
        double[] v = measurements.stream()
                .filter(x -> x.config() == c && x.scope() == s && x.workload() == w && x.values().containsKey(m))
                .mapToDouble(x -> x.values().get(m)).filter(d -> !Double.isNaN(d)).sorted().toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /**
     * {@code c} relative to {@code base}: the median over rounds of {@code c}'s value divided by {@code base}'s value
     * of the same round. The configurations of a round run back to back, seconds apart, so a load change on a shared
     * machine hits both terms of a round's ratio alike, which a ratio of the two medians would not cancel. NaN when
     * no round measured both, or the metric has no ratio.
     */
    double ratio(Config c, Config base, Scope s, Workload w, Metric m) {
        if (!m.comparable()) {
            return Double.NaN;
        }
        double[] r = measurements.stream().filter(x -> x.config() == c && x.scope() == s && x.workload() == w)
                .mapToDouble(x -> {
                    Double v = x.values().get(m);
                    Double b = value(base, x.round(), s, w, m);
                    return v == null || b == null || b == 0 ? Double.NaN : v / b;
                }).filter(d -> !Double.isNaN(d)).sorted().toArray();
        if (r.length == 0) {
            return Double.NaN;
        }
        return r.length % 2 == 1 ? r[r.length / 2] : (r[r.length / 2 - 1] + r[r.length / 2]) / 2;
    }

    private Double value(Config c, int round, Scope s, Workload w, Metric m) {
        return measurements.stream().filter(x -> x.config() == c && x.round() == round && x.scope() == s
                && x.workload() == w).map(x -> x.values().get(m)).filter(v -> v != null).findFirst().orElse(null);
    }

    String table() {
        StringBuilder b = new StringBuilder();
        b.append(title).append('\n');
        b.append("medians over rounds; ratios are medians of per-round ratios config / host network (ovl = plain "
                + "overlay, xmq = overlay + XMasq)\n");
        String fmt = "%-11s %-13s %-14s %10s %10s %10s %8s %8s %8s%n";
        b.append(String.format(Locale.ROOT, fmt, "scope", "workload", "metric", "host", "overlay", "xmasq",
                "ovl/host", "xmq/host", "xmq/ovl"));
        for (Scope s : scopes()) {
            for (Workload w : workloads()) {
                for (Metric m : Metric.of(w)) {
                    b.append(String.format(Locale.ROOT, fmt, s.label(), w.label(), m.unit(),
                            num(median(Config.HOST, s, w, m)), num(median(Config.OVERLAY, s, w, m)),
                            num(median(Config.XMASQ, s, w, m)),
                            ratio(ratio(Config.OVERLAY, Config.HOST, s, w, m)),
                            ratio(ratio(Config.XMASQ, Config.HOST, s, w, m)),
                            ratio(ratio(Config.XMASQ, Config.OVERLAY, s, w, m))));
                }
            }
        }
        return b.toString();
    }

    /** Every measurement of every round: round,config,scope,workload,metric,value. */
    void writeRawCsv(Path file) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("round,config,scope,workload,metric,unit,value");
        for (Measurement x : measurements) {
            for (Metric m : Metric.values()) {
                Double v = x.values().get(m);
                if (v != null) {
                    lines.add(String.join(",", String.valueOf(x.round()), x.config().label(), x.scope().label(),
                            x.workload().name(), m.name(), csvQuote(m.unit()), csvNum(v)));
                }
            }
        }
        Files.write(file, lines);
    }

    /** The medians and ratios, one row per scope/workload/metric. */
    void writeSummaryCsv(Path file) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("scope,workload,metric,unit,higher_is_better,host,overlay,xmasq,overlay_per_host,xmasq_per_host,"
                + "xmasq_per_overlay");
        for (Scope s : scopes()) {
            for (Workload w : workloads()) {
                for (Metric m : Metric.of(w)) {
                    lines.add(String.join(",", s.label(), w.name(), m.name(), csvQuote(m.unit()),
                            String.valueOf(m.higherIsBetter()), csvNum(median(Config.HOST, s, w, m)),
                            csvNum(median(Config.OVERLAY, s, w, m)), csvNum(median(Config.XMASQ, s, w, m)),
                            csvNum(ratio(Config.OVERLAY, Config.HOST, s, w, m)),
                            csvNum(ratio(Config.XMASQ, Config.HOST, s, w, m)),
                            csvNum(ratio(Config.XMASQ, Config.OVERLAY, s, w, m))));
                }
            }
        }
        Files.write(file, lines);
    }

    /**
     * A hand-written SVG: two panels of grouped bars, each bar a configuration's median relative to the host network
     * (a dashed line at 1.0): throughput/transaction rate (higher is better) and CPU per unit of work (lower is better).
     */
    void writeSvg(Path file) throws IOException {
        int groups = scopes().size() * workloads().size();
        int groupW = 110;
        int left = 60;
        int panelH = 260;
        int top = 50;
        int width = left + groups * groupW + 30;
        int height = top + 2 * (panelH + 90) + 40;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "font-family=\"sans-serif\" font-size=\"11\">%n", width, height));
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"22\" font-size=\"14\" font-weight=\"bold\">%s</text>%n",
                left, escape(title)));
        String[] colors = {"#7f7f7f", "#d62728", "#2ca02c"};
        int legendX = left;
        for (Config c : Config.values()) {
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"30\" width=\"12\" height=\"12\" fill=\"%s\"/>"
                    + "<text x=\"%d\" y=\"40\">%s</text>%n", legendX, colors[c.ordinal()], legendX + 16, c.label()));
            legendX += 90;
        }
        panel(svg, "Throughput / transaction rate relative to host network (higher is better)", top + 20, panelH,
                left, groupW, colors, true);
        panel(svg, "CPU time per MB / per transaction relative to host network (lower is better)",
                top + 20 + panelH + 90, panelH, left, groupW, colors, false);
        svg.append("</svg>\n");
        Files.writeString(file, svg.toString());
    }

    private void panel(StringBuilder svg, String heading, int y0, int h, int left, int groupW, String[] colors,
                       boolean rate) {
        List<double[]> values = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        double max = 1.0;
        for (Scope s : scopes()) {
            for (Workload w : workloads()) {
                Metric m = rate ? (w.stream() ? Metric.GBPS : Metric.RATE)
                        : (w.stream() ? Metric.CPU_US_PER_MB : Metric.CPU_US_PER_TX);
                double[] r = new double[Config.values().length];
                for (Config c : Config.values()) {
                    r[c.ordinal()] = ratio(c, Config.HOST, s, w, m);
                    if (!Double.isNaN(r[c.ordinal()])) {
                        max = Math.max(max, r[c.ordinal()]);
                    }
                }
                values.add(r);
                labels.add(s.label() + "|" + w.label());
            }
        }
        max = Math.ceil(max * 4) / 4;
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-weight=\"bold\">%s</text>%n", left,
                y0 - 6, escape(heading)));
        int x1 = left + values.size() * groupW;
        for (double tick = 0; tick <= max + 1e-9; tick += max > 2 ? 0.5 : 0.25) {
            int y = y0 + h - (int) Math.round(tick / max * h);
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#ddd\"/>"
                    + "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%.2f</text>%n", left, y, x1, y, left - 4, y + 4,
                    tick));
        }
        int yOne = y0 + h - (int) Math.round(1.0 / max * h);
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\" "
                + "stroke-dasharray=\"4,3\"/>%n", left, yOne, x1, yOne));
        int barW = (groupW - 20) / Config.values().length;
        for (int g = 0; g < values.size(); g++) {
            int gx = left + g * groupW + 10;
            for (Config c : Config.values()) {
                double v = values.get(g)[c.ordinal()];
                int bx = gx + c.ordinal() * barW;
                if (Double.isNaN(v)) {
                    svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">n/a</text>%n",
                            bx + barW / 2, y0 + h - 4));
                    continue;
                }
                int bh = (int) Math.round(v / max * h);
                svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\">"
                        + "<title>%s %s: %.3f</title></rect>%n", bx, y0 + h - bh, barW - 2, bh, colors[c.ordinal()],
                        escape(labels.get(g)), c.label(), v));
                svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-size=\"9\">"
                        + "%.2f</text>%n", bx + barW / 2 - 1, y0 + h - bh - 3, v));
            }
            String[] parts = labels.get(g).split("\\|");
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>"
                    + "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", gx + (groupW - 20) / 2,
                    y0 + h + 16, escape(parts[1]), gx + (groupW - 20) / 2, y0 + h + 30, escape(parts[0])));
        }
    }

    private static String num(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        double a = Math.abs(v);
        return String.format(Locale.ROOT, a >= 1000 ? "%.0f" : a >= 10 ? "%.1f" : "%.3f", v);
    }

    private static String ratio(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2f", v);
    }

    private static String csvNum(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6g", v);
    }

    private static String csvQuote(String s) {
        return s.contains(",") ? '"' + s + '"' : s;
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    @Override
    public String toString() {
        return "Report" + Arrays.asList(title, measurements.size());
    }
}
