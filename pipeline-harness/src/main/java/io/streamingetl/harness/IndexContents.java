package io.streamingetl.harness;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamingetl.localstack.HttpProbe;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** What a search index holds, read back over HTTP after a refresh: the tests' and the demo's view of the result. */
public final class IndexContents {
    private static final ObjectMapper JSON = new ObjectMapper();

    private IndexContents() {
    }

    /** The documents of {@code index} (or alias) by id, up to 10,000; empty when it does not exist yet. */
    public static Map<String, Map<String, Object>> documents(String searchUrl, String index) {
        HttpProbe.get(searchUrl + "/" + index + "/_refresh");
        HttpProbe.Answer answer = HttpProbe.get(searchUrl + "/" + index + "/_search?size=10000");
        Map<String, Map<String, Object>> documents = new LinkedHashMap<>();
        if (answer.status() != 200) {
            return documents;
        }
        try {
            for (JsonNode hit : JSON.readTree(answer.body()).path("hits").path("hits")) {
                documents.put(hit.get("_id").asText(), JSON.convertValue(hit.get("_source"), new TypeReference<>() { }));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return documents;
    }

    /** How many documents {@code index} holds as searches see them now (no refresh); -1 when it does not answer. */
    public static long count(String searchUrl, String index) {
        HttpProbe.Answer answer = HttpProbe.get(searchUrl + "/" + index + "/_count");
        if (answer.status() != 200) {
            return -1;
        }
        try {
            return JSON.readTree(answer.body()).path("count").asLong(-1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
