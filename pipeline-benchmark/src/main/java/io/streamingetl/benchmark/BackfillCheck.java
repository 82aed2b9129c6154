package io.streamingetl.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamingetl.contract.Topics;
import io.streamingetl.harness.LocalPipeline;
import io.streamingetl.localstack.HttpProbe;
import io.streamingetl.search.SearchClient;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A backfill's index against its sources, once the index holds every backfilled document. */
final class BackfillCheck {
    /** Backfilled orders whose documents are compared with the expected ones at the end, spread over all of them. */
    private static final int CHECKED = 2_000;

    private final String searchUrl;
    private final BackfillData data;

    BackfillCheck(String searchUrl, BackfillData data) {
        this.searchUrl = searchUrl;
        this.data = data;
    }

    /**
     * The index against the sources: exactly as many backfilled documents as orders with a shipment, and every one of
     * {@link #CHECKED} orders spread over all of them as its source rows make it; dead letters on every topic.
     */
    Map<String, Object> check(String index, LocalPipeline pipeline, long backfilled) throws IOException {
        Map<String, Object> check = new LinkedHashMap<>();
        check.put("backfilled_documents", backfilled);
        check.put("expected_documents", data.shippedOrders());
        int step = Math.max(1, data.orders() / CHECKED);
        List<Integer> sample = new ArrayList<>();
        for (int o = 0; o < data.orders(); o += step) {
            sample.add(o);
        }
        StringBuilder ids = new StringBuilder("{\"ids\": [");
        sample.forEach(o -> ids.append('"').append(BackfillData.orderId(o)).append("\","));
        ids.setCharAt(ids.length() - 1, ']');
        JsonNode docs = SearchClient.JSON.readTree(HttpProbe.postJson(searchUrl + "/" + index + "/_mget", ids + "}").body())
                .path("docs");
        int checked = 0;
        List<String> different = new ArrayList<>();
        for (int i = 0; i < sample.size(); i++) {
            JsonNode doc = docs.get(i);
            Map<String, Object> expected = data.expected(sample.get(i));
            Map<String, Object> actual = doc != null && doc.path("found").asBoolean() ? SearchClient.asMap(doc.get("_source")) : null;
            checked++;
            if (expected == null ? actual != null : !expected.equals(actual)) {
                if (different.size() < 5) {
                    different.add(BackfillData.orderId(sample.get(i)) + ": expected " + expected + ", found " + actual);
                }
                check.merge("different", 1, (a, b) -> (Integer) a + (Integer) b);
            }
        }
        check.put("checked", checked);
        check.putIfAbsent("different", 0);
        if (!different.isEmpty()) {
            check.put("first_differences", different);
        }
        long deadLetters = 0;
        for (String topic : pipeline.topics()) {
            deadLetters += pipeline.count(Topics.deadLetterOf(topic));
        }
        check.put("dead_letters", deadLetters);
        return check;
    }
}
