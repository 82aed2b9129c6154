package io.streamingetl.localstack;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamingetl.avro.Customer;
import io.streamingetl.avro.Order;
import io.streamingetl.avro.Shipment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The reference tutorial's data and expected documents: the files of {@code demo-data/tutorial/} in the
 * repository, packaged into this module's jar, so the demo, the benchmark and every test read the same
 * files wherever the repository was cloned.
 */
public final class TutorialData {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern CUSTOMER_INSERT =
            Pattern.compile("VALUES \\('([^']*)', '([^']*)', (\\d+)\\)");
    private static final Pattern MONGO_INSERT = Pattern.compile("db\\.(\\w+)\\.insert\\((\\{.*\\})\\)");

    private static final String RESOURCES = "demo-data/tutorial/";

    private TutorialData() {
    }

    public static TutorialData load() {
        return new TutorialData();
    }

    /** customers.sql as it is: the table and the three customers. */
    public String customersSql() {
        return read("customers.sql");
    }

    /** The SQL statements of customers.sql, without comments. */
    public List<String> customersStatements() {
        List<String> statements = new ArrayList<>();
        for (String line : customersSql().split("\n")) {
            String trimmed = line.trim();
            if (!trimmed.isEmpty() && !trimmed.startsWith("--")) {
                statements.add(trimmed.endsWith(";") ? trimmed.substring(0, trimmed.length() - 1) : trimmed);
            }
        }
        return statements;
    }

    public List<Customer> customers() {
        List<Customer> customers = new ArrayList<>();
        Matcher m = CUSTOMER_INSERT.matcher(customersSql());
        while (m.find()) {
            customers.add(new Customer(m.group(1), m.group(2), Integer.parseInt(m.group(3))));
        }
        return customers;
    }

    /** orders.jsonl, one map per document, fields in file order. */
    public List<Map<String, Object>> orderDocuments() {
        return jsonLines("orders.jsonl");
    }

    public List<Map<String, Object>> shipmentDocuments() {
        return jsonLines("shipments.jsonl");
    }

    public List<Order> orders() {
        return orderDocuments().stream().map(TutorialData::order).toList();
    }

    public List<Shipment> shipments() {
        return shipmentDocuments().stream().map(TutorialData::shipment).toList();
    }

    public static Order order(Map<String, Object> d) {
        return new Order((String) d.get("order_id"), (String) d.get("customer_id"),
                ((Number) d.get("price")).doubleValue(), (String) d.get("currency"), (String) d.get("ts"));
    }

    public static Shipment shipment(Map<String, Object> d) {
        return new Shipment((String) d.get("shipment_id"), (String) d.get("order_id"), (String) d.get("origin"),
                (String) d.get("ts"));
    }

    /** expected-shipped_orders.json: document id to its source, in file order. */
    public Map<String, Map<String, Object>> expectedDocuments() {
        return documents(read("expected-shipped_orders.json"));
    }

    /** The live step of demonstration.md. */
    public LiveStep liveStep() {
        String text = read("demonstration.md");
        String sql = text.lines().filter(l -> l.contains("INSERT INTO customers")).findFirst()
                .map(l -> l.substring(l.indexOf("INSERT")).trim()).orElseThrow();
        Map<String, Map<String, Object>> inserts = new LinkedHashMap<>();
        Matcher m = MONGO_INSERT.matcher(text);
        while (m.find()) {
            inserts.put(m.group(1), parse(m.group(2), new TypeReference<>() { }));
        }
        String expected = text.lines().filter(l -> l.trim().startsWith("{\"_id\"")).findFirst().orElseThrow();
        return new LiveStep(sql.endsWith(";") ? sql.substring(0, sql.length() - 1) : sql,
                inserts.get("orders"), inserts.get("shipments"), documents("[" + expected + "]"));
    }

    /** The seed's live step: one customer, one order, one shipment, and the document they must produce. */
    public record LiveStep(String customerInsertSql, Map<String, Object> order, Map<String, Object> shipment,
                           Map<String, Map<String, Object>> expectedDocument) {
        /** The new customer's id: the one its order names. */
        public String customerId() {
            return (String) order.get("customer_id");
        }
    }

    private static Map<String, Map<String, Object>> documents(String json) {
        Map<String, Map<String, Object>> documents = new LinkedHashMap<>();
        for (JsonNode hit : parse(json, new TypeReference<JsonNode>() { })) {
            documents.put(hit.get("_id").asText(), JSON.convertValue(hit.get("_source"), new TypeReference<>() { }));
        }
        return documents;
    }

    private List<Map<String, Object>> jsonLines(String file) {
        return read(file).lines().filter(l -> !l.isBlank())
                .map(l -> parse(l, new TypeReference<Map<String, Object>>() { })).toList();
    }

    private static <T> T parse(String json, TypeReference<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (IOException e) {
            throw new IllegalStateException("Tutorial fixture is not valid JSON: " + json, e);
        }
    }

    private static String read(String file) {
        try (InputStream in = TutorialData.class.getClassLoader().getResourceAsStream(RESOURCES + file)) {
            if (in == null) {
                throw new IllegalStateException("Tutorial fixture " + RESOURCES + file + " is not on the classpath;"
                        + " rebuild local-stack (mvn -B -DskipTests install)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read tutorial fixture " + RESOURCES + file, e);
        }
    }
}
