package io.streamingetl.essink;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import java.io.IOException;

/** The index of shipped orders, created at start when missing with {@link ShippedOrderDocument#mapping()}. */
final class ShippedOrderIndex {
    private ShippedOrderIndex() {
    }

    static void createIfMissing(ElasticsearchClient client, String index) throws IOException {
        if (client.indices().exists(e -> e.index(index)).value()) {
            return;
        }
        try {
            client.indices().create(c -> c.index(index).mappings(ShippedOrderDocument.mapping()));
        } catch (ElasticsearchException e) {
            // Another instance created it first.
            if (!"resource_already_exists_exception".equals(e.error().type())) {
                throw e;
            }
        }
    }
}
