package io.streamingetl.essink;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.mapping.Property;
import co.elastic.clients.util.ObjectBuilder;
import java.io.IOException;

/**
 * The index of shipped orders, created at start when missing with the mapping the tutorial's dynamic
 * mapping gave, ids as keywords: ids with a {@code .keyword} sub-field too, so queries and aggregations
 * written for the tutorial's dynamic mapping ({@code CUSTOMER_ID.keyword}) work as well as plain ones;
 * names as text with a keyword sub-field, age an integer, price a double.
 */
final class ShippedOrderIndex {
    private ShippedOrderIndex() {
    }

    private static ObjectBuilder<Property> keywordWithKeywordField(Property.Builder p) {
        return p.keyword(k -> k.fields("keyword", f -> f.keyword(sub -> sub.ignoreAbove(256))));
    }

    static void createIfMissing(ElasticsearchClient client, String index) throws IOException {
        if (client.indices().exists(e -> e.index(index)).value()) {
            return;
        }
        try {
            client.indices().create(c -> c.index(index).mappings(m -> m
                    .properties("O_ORDER_ID", ShippedOrderIndex::keywordWithKeywordField)
                    .properties("SHIPMENT_ID", ShippedOrderIndex::keywordWithKeywordField)
                    .properties("CUSTOMER_ID", ShippedOrderIndex::keywordWithKeywordField)
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
