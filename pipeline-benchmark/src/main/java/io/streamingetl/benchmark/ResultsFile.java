package io.streamingetl.benchmark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/** {@code .benchmark/results.json} shared by the benchmark's modes: each writes its own key and keeps the others'. */
final class ResultsFile {
    private ResultsFile() {
    }

    /** Writes {@code value} under {@code key}, keeping every other key an earlier run wrote. */
    @SuppressWarnings("unchecked")
    static void put(Path file, String key, Object value) throws IOException {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        Map<String, Object> figures = Files.exists(file) ? json.readValue(file.toFile(), TreeMap.class) : new TreeMap<>();
        figures.put(key, value);
        Files.createDirectories(file.getParent());
        json.writeValue(file.toFile(), figures);
    }
}
