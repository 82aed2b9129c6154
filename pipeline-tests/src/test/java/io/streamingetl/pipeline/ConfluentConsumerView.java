package io.streamingetl.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamingetl.localstack.HttpProbe;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;

/**
 * A value read as any Confluent consumer reads it, with none of the pipeline's code: byte 0, a 4-byte schema
 * id, that id's schema from the registry's {@code /schemas/ids/{id}}, a plain Avro decode.
 */
final class ConfluentConsumerView {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ConfluentConsumerView() {
    }

    /** The value as Avro's JSON text; an exception naming what is not Confluent's wire format. */
    static String read(String registryUrl, byte[] value) throws IOException {
        if (value == null || value.length < 5 || value[0] != 0) {
            throw new IllegalArgumentException("not Confluent's wire format: " + (value == null ? "null" : "first byte " + value[0]));
        }
        int id = ByteBuffer.wrap(value, 1, 4).getInt();
        HttpProbe.Answer answer = HttpProbe.get(registryUrl + "/schemas/ids/" + id);
        if (answer.status() != 200) {
            throw new IllegalStateException("GET /schemas/ids/" + id + " answered " + answer.status() + ": " + answer.body());
        }
        Schema schema = new Schema.Parser().parse(JSON.readTree(answer.body()).get("schema").asText());
        GenericRecord record = new GenericDatumReader<GenericRecord>(schema)
                .read(null, DecoderFactory.get().binaryDecoder(value, 5, value.length - 5, null));
        return GenericData.get().toString(record);
    }
}
