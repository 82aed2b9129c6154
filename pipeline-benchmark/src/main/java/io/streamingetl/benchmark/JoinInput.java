package io.streamingetl.benchmark;

import static io.streamingetl.benchmark.BenchmarkClients.millis;
import static io.streamingetl.benchmark.BenchmarkClients.producer;
import static io.streamingetl.benchmark.BenchmarkClients.send;

import io.streamingetl.avro.EnrichedOrder;
import io.streamingetl.avro.Shipment;
import io.streamingetl.contract.EventTime;
import io.streamingetl.contract.Topic;
import io.streamingetl.contract.Topics;
import io.streamingetl.localstack.EmbeddedEngines;
import io.streamingetl.runtime.TopicAdmin;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;

/**
 * The join's inputs for the failover benchmark: {@code orders} enriched orders without shipments, so the join holds
 * them all in its stores and writes nothing yet, their event times within the last hour (inside the window); a trickle
 * of pairs around the kill; and, after it, one order with its shipment per partition, each under an order id that lands
 * on that partition.
 */
final class JoinInput {
    /** As deployed (k8s), so two instances hold three join tasks each. */
    static final int PARTITIONS = 6;
    static final String ORDERS = "failover.enriched";
    static final String SHIPMENTS = "failover.shipments";

    private final Topic<String, EnrichedOrder> orders;
    private final Topic<String, Shipment> shipments;
    private final String bootstrap;
    private final int count;

    private JoinInput(EmbeddedEngines engines, int count) {
        this.bootstrap = engines.kafkaBootstrapServers();
        this.orders = Topics.ENRICHED_ORDERS.named(ORDERS).registeredIn(engines.schemaRegistry());
        this.shipments = Topics.SHIPMENTS.named(SHIPMENTS).registeredIn(engines.schemaRegistry());
        this.count = count;
    }

    /** Creates the topics (compacted, as the services make them) and writes the orders. */
    static JoinInput fill(EmbeddedEngines engines, int count, BenchmarkResults results) {
        JoinInput input = new JoinInput(engines, count);
        TopicAdmin.ensureTopics(input.bootstrap, List.of(ORDERS, SHIPMENTS), PARTITIONS, (short) 1);
        long start = System.nanoTime();
        Instant first = Instant.now().minusSeconds(3600);
        try (KafkaProducer<byte[], byte[]> producer = producer(input.bootstrap, 20)) {
            for (int o = 0; o < count; o++) {
                String ts = EventTime.format(first.plusMillis(3_000_000L * o / count));
                send(producer, ORDERS, "o" + o, input.orders.serializeValue(
                        new EnrichedOrder("o" + o, "c" + (o % 1000), "customer", 30, 10.5, "usd", ts)), ts);
            }
            producer.flush();
        }
        results.add("failover: the join's input", String.format("%,d enriched orders without shipments on %d partitions, written in %,d ms",
                count, PARTITIONS, millis(start)));
        return input;
    }

    int count() {
        return count;
    }

    /** The partition Kafka's default partitioner gives {@code key}, of the input topics and the join's tasks alike. */
    static int partitionOf(String key) {
        return BuiltInPartitioner.partitionForKey(key.getBytes(StandardCharsets.UTF_8), PARTITIONS);
    }

    /** One order id per partition, in partition order, none of them written before. */
    static List<String> orderIdPerPartition(String prefix) {
        List<String> ids = new ArrayList<>();
        for (int partition = 0; partition < PARTITIONS; partition++) {
            int candidate = 0;
            while (partitionOf(prefix + candidate) != partition) {
                candidate++;
            }
            ids.add(prefix + candidate);
        }
        return ids;
    }

    /** An order and its shipment for each of {@code orderIds}, stamped now: the changes after the kill. */
    void writePairs(List<String> orderIds) {
        try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap, 0)) {
            writePairs(producer, orderIds);
        }
    }

    private void writePairs(KafkaProducer<byte[], byte[]> producer, List<String> orderIds) {
        String ts = EventTime.format(Instant.now());
        for (String id : orderIds) {
            send(producer, ORDERS, id, orders.serializeValue(new EnrichedOrder(id, "c1", "customer", 30, 1.0, "usd", ts)), ts);
            send(producer, SHIPMENTS, "s-" + id, shipments.serializeValue(new Shipment("s-" + id, id, "iowa", ts)), ts);
        }
        producer.flush();
    }

    /**
     * A steady trickle of order and shipment pairs ({@code perSecond}) until closed, so the instances are busy when one is
     * killed: its open exactly-once transaction then holds back what reads its outputs until the broker aborts it, as
     * in production, rather than finding it idle between transactions.
     */
    AutoCloseable trickle(String prefix, int perSecond) {
        Thread writer = new Thread(() -> {
            try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap, 0)) {
                for (long n = 0; !Thread.currentThread().isInterrupted(); n++) {
                    writePairs(producer, List.of(prefix + n));
                    Thread.sleep(1000 / perSecond);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (org.apache.kafka.common.errors.InterruptException e) {
                // closed while sending
            }
        }, "failover-trickle");
        writer.setDaemon(true);
        writer.start();
        return () -> {
            writer.interrupt();
            writer.join(10_000);
        };
    }
}
