package io.streamingetl.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.SerializationException;

/**
 * A client of Confluent's schema registry REST API (subjects, versions, {@code /schemas/ids/{id}}), which
 * Confluent Schema Registry, Apicurio ({@code /apis/ccompat/v7}) and Karapace all serve. Confluent's own
 * client is not on Maven Central and Apicurio's speaks only Apicurio's API, so these two calls are made here.
 * Ids and schemas are cached for the life of the process: an id never changes its schema.
 */
public final class ConfluentRegistryClient implements SchemaRegistry {
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI url;
    private final String authorization;
    private final HttpClient http;
    private final Duration timeout;
    private final Map<String, Integer> ids = new ConcurrentHashMap<>();
    private final Map<Integer, Schema> schemas = new ConcurrentHashMap<>();

    /** {@code username} null or empty: no authentication. */
    public ConfluentRegistryClient(URI url, String username, String password, Duration timeout) {
        String base = url.toString();
        this.url = URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
        this.authorization = username == null || username.isEmpty() ? null : "Basic " + Base64.getEncoder()
                .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    public ConfluentRegistryClient(URI url) {
        this(url, null, null, Duration.ofSeconds(10));
    }

    @Override
    public String location() {
        return url.toString();
    }

    @Override
    public int register(String subject, Schema schema) {
        return ids.computeIfAbsent(subject + '\0' + schema, key -> {
            String body = JSON.createObjectNode().put("schema", schema.toString()).toString();
            HttpResponse<String> response = null;
            // Apicurio also answers 409 to the second of two clients creating a subject at the same moment (the
            // services start together): the second attempt finds the subject and is answered on the schema.
            for (int attempt = 0; attempt < 2 && (response == null || response.statusCode() == 409); attempt++) {
                response = send(HttpRequest.newBuilder(path("/subjects/" + encode(subject) + "/versions"))
                        .header("Content-Type", CONTENT_TYPE)
                        .POST(HttpRequest.BodyPublishers.ofString(body)));
            }
            if (response.statusCode() == 409) {
                throw new IncompatibleSchemaException("The schema registry at " + url + " refused " + schema.getFullName()
                        + " under subject " + subject + " as incompatible with the versions it holds: " + message(response));
            }
            int id = field(response, "id").asInt();
            schemas.putIfAbsent(id, schema);
            return id;
        });
    }

    @Override
    public OptionalInt find(String subject, Schema schema) {
        String body = JSON.createObjectNode().put("schema", schema.toString()).toString();
        HttpResponse<String> response = send(HttpRequest.newBuilder(path("/subjects/" + encode(subject)))
                .header("Content-Type", CONTENT_TYPE)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        return response.statusCode() == 404 ? OptionalInt.empty() : OptionalInt.of(field(response, "id").asInt());
    }

    @Override
    public Schema schema(int id) {
        Schema known = schemas.get(id);
        if (known != null) {
            return known;
        }
        HttpResponse<String> response = send(HttpRequest.newBuilder(path("/schemas/ids/" + id)).GET());
        if (response.statusCode() == 404) {
            throw unknownId(id);
        }
        Schema schema;
        try {
            schema = new Schema.Parser().parse(field(response, "schema").asText());
        } catch (RuntimeException e) {
            throw new SerializationException("Schema id " + id + " at " + url + " is not an Avro schema: " + e.getMessage(), e);
        }
        schemas.putIfAbsent(id, schema);
        return schema;
    }

    /**
     * A 404 for {@code id}: the record's fault only when the registry still knows the ids it gave this client
     * before. When it has forgotten them too, the registry lost its memory (restarted without its storage) or
     * is not the one that issued them (a wrong URL): no record is to blame, and the service waits.
     */
    private RuntimeException unknownId(int id) {
        Integer known = schemas.keySet().stream().findFirst().orElse(null);
        if (known != null && send(HttpRequest.newBuilder(path("/schemas/ids/" + known)).GET()).statusCode() == 404) {
            return new UnavailableException("The schema registry at " + url + " knows neither schema id " + id
                    + " nor id " + known + ", which it issued before: was it restarted without its storage, or does "
                    + "SCHEMA_REGISTRY_URL name another registry? Restore the registry's schemas (or point at the "
                    + "registry that issued them); records wait meanwhile", null);
        }
        return new SerializationException("Schema id " + id + " is unknown to the schema registry at " + url);
    }

    private URI path(String path) {
        return URI.create(url + path);
    }

    private static String encode(String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        request.timeout(timeout).header("Accept", CONTENT_TYPE);
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        HttpRequest built = request.build();
        HttpResponse<String> response;
        try {
            response = http.send(built, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UnavailableException("Cannot reach the schema registry at " + url + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnavailableException("Interrupted while asking the schema registry at " + url, e);
        }
        int status = response.statusCode();
        if (status == 401 || status == 403) {
            throw new UnavailableException("The schema registry at " + url + " refused the credentials (HTTP " + status
                    + "): check SCHEMA_REGISTRY_USERNAME and SCHEMA_REGISTRY_PASSWORD", null);
        }
        if (status >= 500 || status == 429) {
            throw new UnavailableException("The schema registry at " + url + " answered HTTP " + status + ": "
                    + message(response), null);
        }
        return response;
    }

    private JsonNode field(HttpResponse<String> response, String name) {
        JsonNode value = null;
        if (response.statusCode() / 100 == 2) {
            try {
                value = JSON.readTree(response.body()).get(name);
            } catch (IOException e) {
                // A proxy's page, say: not the registry's fault of a record, and it may pass.
                throw new UnavailableException("The schema registry at " + url + " answered " + response.request().method()
                        + " " + response.request().uri().getPath() + " with something that is not its JSON (HTTP "
                        + response.statusCode() + " " + message(response) + "): is SCHEMA_REGISTRY_URL the registry's API?", e);
            }
        }
        if (value == null) {
            String answer = "Unexpected answer from the schema registry at " + url + " to " + response.request().method()
                    + " " + response.request().uri().getPath() + ": HTTP " + response.statusCode() + " " + message(response);
            // A success without what it should hold is the registry's (or a proxy's) oddity; a 4xx refuses the request.
            throw response.statusCode() / 100 == 2 ? new UnavailableException(answer, null) : new KafkaException(answer);
        }
        return value;
    }

    private static String message(HttpResponse<String> response) {
        try {
            JsonNode message = JSON.readTree(response.body()).get("message");
            if (message != null) {
                return message.asText();
            }
        } catch (IOException e) {
            // not JSON: shown as it is
        }
        String body = response.body();
        return body.length() > 300 ? body.substring(0, 300) + "..." : body;
    }
}
