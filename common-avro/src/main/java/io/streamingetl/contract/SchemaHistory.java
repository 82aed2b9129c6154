package io.streamingetl.contract;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;

/**
 * Every version of a record's schema that common-avro has ever shipped, oldest first, read from
 * {@code schema-history/<Record>/v1.avsc, v2.avsc, ...} on the classpath. Readers decode against all of them,
 * so a service reads what older writers wrote; {@code SchemaHistoryTest} keeps each version backward
 * compatible with the one before and the generated class equal to the newest.
 */
public final class SchemaHistory {
    private SchemaHistory() {
    }

    public static List<Schema> of(String recordName) {
        List<Schema> versions = new ArrayList<>();
        for (int version = 1; ; version++) {
            String resource = "/schema-history/" + recordName + "/v" + version + ".avsc";
            try (InputStream in = SchemaHistory.class.getResourceAsStream(resource)) {
                if (in == null) {
                    break;
                }
                versions.add(new Schema.Parser().parse(in));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + resource, e);
            }
        }
        if (versions.isEmpty()) {
            throw new IllegalStateException("No schema-history/" + recordName + "/v1.avsc on the classpath");
        }
        return List.copyOf(versions);
    }
}
