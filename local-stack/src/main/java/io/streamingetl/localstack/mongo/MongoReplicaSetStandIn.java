package io.streamingetl.localstack.mongo;

/** Placeholder until the stand-in lands. */
public final class MongoReplicaSetStandIn implements AutoCloseable {
    public static MongoReplicaSetStandIn start(String host, int port, String replicaSetName) {
        throw new UnsupportedOperationException("not yet");
    }

    public String connectionString() {
        throw new UnsupportedOperationException("not yet");
    }

    public int port() {
        return 0;
    }

    @Override
    public void close() {
    }
}
