package io.streamingetl.essink;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import java.io.IOException;

/**
 * The index of shipped orders, created at start when missing with the mapping the tutorial's dynamic
 * mapping gave: ids as keywords, names as text with a keyword sub-field, age an integer, price a double.
 */
final class ShippedOrderIndex {
    private ShippedOrderIndex() {
    }

    static void createIfMissing(ElasticsearchClient client, String index) throws IOException {
        if (client.indices().exists(e -> e.index(index)).value()) {
            return;
        }
        try {
            client.indices().create(c -> c.index(index).mappings(m -> m
                    .properties("O_ORDER_ID", p -> p.keyword(k -> k))
                    .properties("SHIPMENT_ID", p -> p.keyword(k -> k))
                    .properties("CUSTOMER_ID", p -> p.keyword(k -> k))
                    .properties("CUSTOMER_NAME", p -> p.text(t -> t.fields("keyword", f -> f.keyword(k -> k.ignoreAbove(256)))))
                    .properties("CUSTOMER_AGE", p -> p.integer(i -> i))
                    .properties("ORIGIN", p -> p.text(t -> t.fields("keyword", f -> f.keyword(k -> k.ignoreAbove(256)))))
                    .properties("PRICE", p -> p.double_(d -> d))
                    .properties("CURRENCY", p -> p.text(t -> t.fields("keyword", f -> f.keyword(k -> k.ignoreAbove(256)))))));
        } catch (ElasticsearchException e) {
            // Another instance created it first.
            if (!"resource_already_exists_exception".equals(e.error().type())) {
                throw e;
            }
        }
    }
}
