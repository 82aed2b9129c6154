package io.streamingetl.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The benchmark as a page people look at: one self-contained HTML file (inline SVG, no script, nothing fetched) with
 * the latency percentiles per load step, the join's hops per step, CPU per record per service beside the raw Kafka
 * pipe's, and every figure of the run's table.
 */
final class HtmlReport {
    private static final String[] COLOURS = {"#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2"};
    /** The headline figures of each delivery profile, by their key in results.json. */
    private static final String[][] PROFILE_ROWS = {
        {"visible_at_changes_per_s", "the step nearest 1,000 changes/s"},
        {"visible_p50_ms", "seen by a search client p50 (ms)"},
        {"visible_p99_ms", "seen by a search client p99 (ms)"},
        {"startup_p99_ms", "the first 5 s of load p99 (ms)"},
        {"capacity_changes_per_s", "capacity at p99 &le; 1 s (changes/s)"}};

    private HtmlReport() {
    }

    static void write(Path file, Map<String, Object> figures, Map<String, String> table) throws IOException {
        StringBuilder html = new StringBuilder("""
                <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>streaming-etl benchmark</title>
                <style>body{font:14px system-ui,sans-serif;margin:1.5em;color:#222}table{border-collapse:collapse}
                td,th{border:1px solid #ccc;padding:.2em .5em;text-align:left}h2{margin-top:1.5em}</style></head><body>
                <h1>streaming-etl benchmark</h1>
                """);
        html.append("<p>").append(figures.get("cores")).append(" cores; capacity at p99 &le; 1 s: ")
                .append(figures.get("capacity_changes_per_s")).append(" changes/s; seen by a search client at ")
                .append(figures.get("visible_at_changes_per_s")).append(" changes/s: p50 ").append(figures.get("visible_p50_ms"))
                .append(" ms, p99 ").append(figures.get("visible_p99_ms")).append(" ms; the first 5 s of load: p99 ")
                .append(figures.get("startup_p99_ms")).append(" ms.</p>\n");
        Map<String, Object> profiles = profiles(figures.get("profiles"));
        if (!profiles.isEmpty()) {
            html.append("<h2>The delivery profiles side by side (medians of the latency runs)</h2><table><tr><th>figure</th>");
            profiles.keySet().forEach(name -> html.append("<th>").append(escape(name)).append("</th>"));
            html.append("</tr>\n");
            for (String[] row : PROFILE_ROWS) {
                html.append("<tr><td>").append(row[1]).append("</td>");
                profiles.values().forEach(one -> html.append("<td>").append(((Map<?, ?>) one).get(row[0])).append("</td>"));
                html.append("</tr>\n");
            }
            html.append("</table>\n");
            profiles.forEach((name, one) -> stepCharts(html, ", " + name, steps(((Map<?, ?>) one).get("steps"))));
        } else {
            stepCharts(html, "", steps(figures.get("steps")));
        }
        if (figures.get("cpu_us_per_record") instanceof Map<?, ?> cpu && !cpu.isEmpty()) {
            List<String> labels = new ArrayList<>();
            List<Double> values = new ArrayList<>();
            cpu.forEach((name, micros) -> {
                labels.add(String.valueOf(name));
                values.add(number(micros));
            });
            html.append("<h2>CPU per record (µs), each service beside the raw Kafka pipe's</h2>")
                    .append(bars(labels, Map.of("µs per record", values), 0));
        }
        html.append("<h2>Every figure</h2><table><tr><th>measure</th><th>figure</th></tr>\n");
        table.forEach((what, figure) -> html.append("<tr><td>").append(escape(what)).append("</td><td>").append(escape(figure))
                .append("</td></tr>\n"));
        html.append("</table></body></html>\n");
        Files.writeString(file, html);
    }

    /** Latency per load step and the join's hops per step, as bar charts; {@code title} follows their headings. */
    private static void stepCharts(StringBuilder html, String title, List<Map<String, Object>> steps) {
        if (steps.isEmpty()) {
            return;
        }
        List<String> labels = steps.stream().map(s -> s.get("asked") + "/s").toList();
        Map<String, List<Double>> latency = new LinkedHashMap<>();
        Map.of("p50_ms", "commit -> indexed p50", "p99_ms", "commit -> indexed p99", "visible_p50_ms",
                "seen by a search client p50", "visible_p99_ms", "seen by a search client p99").entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(key -> latency.put(key.getValue(), steps.stream().map(s -> number(s.get(key.getKey()))).toList()));
        html.append("<h2>Latency per load step").append(escape(title)).append(" (ms; the line is 1 s)</h2>")
                .append(bars(labels, latency, 1000));
        Map<String, List<Double>> hops = new LinkedHashMap<>();
        hops.put("shipments -> repartition topic p99", steps.stream().map(s -> number(s.get("repartition_hop_p99_ms"))).toList());
        hops.put("both sides -> shipped_orders p99", steps.stream().map(s -> number(s.get("join_hop_p99_ms"))).toList());
        html.append("<h2>The join's hops per step").append(escape(title)).append(" (ms)</h2>").append(bars(labels, hops, 0));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> profiles(Object profiles) {
        return profiles instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> steps(Object steps) {
        return steps instanceof List<?> list ? (List<Map<String, Object>>) list : List.of();
    }

    private static double number(Object value) {
        return value instanceof Number n && n.doubleValue() >= 0 ? n.doubleValue() : 0;
    }

    /** Grouped bars: a group per label, a bar per series, and a dashed line at {@code line} when above 0. */
    static String bars(List<String> labels, Map<String, List<Double>> series, double line) {
        int width = 900;
        int height = 260;
        int left = 50;
        int bottom = 40;
        double max = Math.max(line, series.values().stream().flatMap(List::stream).mapToDouble(Double::doubleValue).max().orElse(1));
        double scale = (height - bottom - 20) / (max <= 0 ? 1 : max * 1.1);
        double group = (double) (width - left) / Math.max(1, labels.size());
        double bar = group * 0.8 / Math.max(1, series.size());
        StringBuilder svg = new StringBuilder("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + width + "\" height=\""
                + (height + 20 * series.size()) + "\">");
        int s = 0;
        for (Map.Entry<String, List<Double>> one : series.entrySet()) {
            for (int i = 0; i < one.getValue().size(); i++) {
                double value = one.getValue().get(i);
                double x = left + i * group + group * 0.1 + s * bar;
                double h = value * scale;
                svg.append(String.format("<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>%s %s: %.0f</title></rect>",
                        x, height - bottom - h, bar - 1, h, COLOURS[s % COLOURS.length], escape(one.getKey()), escape(labels.get(i)), value));
                svg.append(String.format("<text x=\"%.1f\" y=\"%.1f\" font-size=\"9\">%.0f</text>", x, height - bottom - h - 2, value));
            }
            svg.append(String.format("<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/><text x=\"%d\" y=\"%d\" font-size=\"12\">%s</text>",
                    left, height + 20 * s, COLOURS[s % COLOURS.length], left + 15, height + 20 * s + 9, escape(one.getKey())));
            s++;
        }
        for (int i = 0; i < labels.size(); i++) {
            svg.append(String.format("<text x=\"%.1f\" y=\"%d\" font-size=\"12\">%s</text>", left + i * group + group * 0.1,
                    height - bottom + 15, escape(labels.get(i))));
        }
        if (line > 0) {
            double y = height - bottom - line * scale;
            svg.append(String.format("<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#c33\" stroke-dasharray=\"4\"/>", left, y, width, y));
        }
        svg.append(String.format("<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#888\"/></svg>", left, height - bottom, width,
                height - bottom));
        return svg.toString();
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
