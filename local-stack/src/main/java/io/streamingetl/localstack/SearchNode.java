package io.streamingetl.localstack;

/** A search engine node the local stack runs: Elasticsearch in this JVM, or OpenSearch as a process of its own. */
public interface SearchNode extends AutoCloseable {
    /** Its REST API, what {@code ES_URL} is set to. */
    String url();

    /** Makes it unreachable, its data kept, until {@link #restart()}. */
    void stop();

    void restart();

    @Override
    void close();
}
