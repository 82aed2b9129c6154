package io.streamingetl.benchmark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The backfill's section of {@code .benchmark/report.html}: its headline figures, the live load's p99 minute by minute
 * (the line is 2 s), when each stage was through with the backfill, and every figure of its table. Put into the page an
 * earlier run of the benchmark wrote (between markers, so a later backfill replaces it), or a page of its own.
 */
final class BackfillReport {
    static final String BEGIN = "<!-- backfill -->";
    static final String END = "<!-- /backfill -->";

    private BackfillReport() {
    }

    static void addTo(Path page, Map<String, Object> figures, Map<String, String> table) throws IOException {
        String section = section(figures, table);
        String html = Files.exists(page) ? Files.readString(page, StandardCharsets.UTF_8) : """
                <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>streaming-etl benchmark</title>
                <style>body{font:14px system-ui,sans-serif;margin:1.5em;color:#222}table{border-collapse:collapse}
                td,th{border:1px solid #ccc;padding:.2em .5em;text-align:left}h2{margin-top:1.5em}</style></head><body>
                <h1>streaming-etl benchmark</h1>
                </body></html>
                """;
        int begin = html.indexOf(BEGIN);
        int end = html.indexOf(END);
        if (begin >= 0 && end > begin) {
            html = html.substring(0, begin) + section + html.substring(end + END.length());
        } else {
            int body = html.lastIndexOf("</body>");
            html = body < 0 ? html + section : html.substring(0, body) + section + html.substring(body);
        }
        Files.writeString(page, html, StandardCharsets.UTF_8);
    }

    static String section(Map<String, Object> figures, Map<String, String> table) {
        StringBuilder html = new StringBuilder(BEGIN).append("\n<h2>Backfill while streaming</h2>\n<p>");
        html.append(String.format("%s customers and %s orders on %s cores (load average %s before, at most %s during): the index"
                        + " held all %s documents after %s s; %s documents/s, the sink alone %s of the engine's best bulk rate"
                        + " (%s documents/s); the live load (%s changes/s) seen by a search client p50 %s ms, p99 %s ms;"
                        + " the largest service heap %s MB (of %s); the join's state %s MB; the most WAL the slot retained %s bytes.",
                figures.get("customers"), figures.get("orders"), figures.get("cores"), figures.get("load_average_before"),
                figures.get("load_average_max"), figures.get("documents"), figures.get("seconds_to_complete"),
                figures.get("documents_per_s"), percent(figures.get("sink_to_engine_ratio")), figures.get("engine_best_documents_per_s"),
                figures.get("live_changes_per_s"), figures.get("live_visible_p50_ms"), figures.get("live_visible_p99_ms"),
                figures.get("max_heap_mb"), figures.get("service_xmx_mb"),
                figures.get("join_state_bytes") instanceof Number n ? Math.round(n.doubleValue() / 1e6) : null,
                figures.get("wal_retained_max_bytes"))).append("</p>\n");
        if (figures.get("live_visible_by_minute") instanceof List<?> minutes && !minutes.isEmpty()) {
            List<String> labels = new ArrayList<>();
            List<Double> values = new ArrayList<>();
            for (int i = 0; i < minutes.size(); i++) {
                labels.add(i + 1 + "'");
                values.add(minutes.get(i) instanceof Number v ? Math.max(0, v.doubleValue()) : 0.0);
            }
            html.append("<h3>The live load seen by a search client, p99 per minute of the backfill (ms; the line is 2 s)</h3>")
                    .append(HtmlReport.bars(labels, Map.of("p99 ms", values), 2000));
        }
        if (figures.get("stages") instanceof Map<?, ?> stages && !stages.isEmpty()) {
            List<String> labels = new ArrayList<>();
            List<Double> values = new ArrayList<>();
            stages.forEach((stage, seconds) -> {
                labels.add(String.valueOf(stage).replace("_complete_s", ""));
                values.add(seconds instanceof Number v ? v.doubleValue() : 0.0);
            });
            Map<String, List<Double>> series = new LinkedHashMap<>();
            series.put("through with the backfill, s after the start", values);
            html.append("<h3>Each stage through with the backfill (s after the start)</h3>").append(HtmlReport.bars(labels, series, 0));
        }
        html.append("<table><tr><th>measure</th><th>figure</th></tr>\n");
        table.forEach((what, figure) -> html.append("<tr><td>").append(escape(what)).append("</td><td>").append(escape(figure))
                .append("</td></tr>\n"));
        return html.append("</table>\n").append(END).toString();
    }

    private static String percent(Object ratio) {
        return ratio instanceof Number n ? Math.round(100 * n.doubleValue()) + "%" : "-";
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
