package io.streamingetl.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * {@code --output table|json}, mixed into the commands a script reads: a table for people (columns padded to
 * their widest cell) or JSON for {@code jq} and runbooks (an array of objects, or one object), the same fields.
 */
final class Output {
    enum Format { table, json }

    @Option(names = {"-o", "--output"}, paramLabel = "table|json",
            description = "table for people, json for scripts: the same fields (default: a table; for dead letters, JSON lines)")
    Format format;

    boolean json() {
        return format == Format.json;
    }

    boolean table() {
        return format == Format.table;
    }

    /** {@code rows} as a table of {@code columns} (a row's missing or null cell shown as "-"), or as a JSON array. */
    void rows(PrintWriter out, List<String> columns, List<? extends Map<String, ?>> rows) {
        if (json()) {
            out.println(write(rows));
            return;
        }
        List<List<String>> cells = new ArrayList<>();
        cells.add(columns);
        rows.forEach(row -> cells.add(columns.stream().map(c -> row.get(c) == null ? "-" : String.valueOf(row.get(c))).toList()));
        int[] widths = new int[columns.size()];
        cells.forEach(line -> {
            for (int i = 0; i < widths.length; i++) {
                widths[i] = Math.max(widths[i], line.get(i).length());
            }
        });
        for (List<String> line : cells) {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < widths.length; i++) {
                text.append(i == widths.length - 1 ? line.get(i) : String.format("%-" + widths[i] + "s  ", line.get(i)));
            }
            out.println(text.toString().stripTrailing());
        }
    }

    /** {@code object} as indented JSON, for the json format of a command whose table is its own. */
    static String write(Object value) {
        try {
            return RecordJson.JSON.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
