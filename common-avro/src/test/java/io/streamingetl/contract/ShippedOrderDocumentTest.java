package io.streamingetl.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamingetl.avro.ShippedOrder;
import io.streamingetl.contract.ShippedOrderDocument.Field;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ShippedOrderDocumentTest {

    @Test
    void order22IsTheDocumentTheTutorialIndexedFieldForFieldInOrder() {
        Map<String, Object> tutorial = new LinkedHashMap<>();
        tutorial.put("O_ORDER_ID", "22");
        tutorial.put("SHIPMENT_ID", "71");
        tutorial.put("CUSTOMER_ID", "7");
        tutorial.put("CUSTOMER_NAME", "sue");
        tutorial.put("CUSTOMER_AGE", 25);
        tutorial.put("ORIGIN", "iowa");
        tutorial.put("PRICE", 29.71);
        tutorial.put("CURRENCY", "aud");

        assertThat(ShippedOrderDocument.of(new ShippedOrder("22", "71", "7", "sue", 25, "iowa", 29.71, "aud")))
                .containsExactlyEntriesOf(tutorial);
    }

    @Test
    void aFieldWithoutAValueIsAnExplicitNull() {
        assertThat(ShippedOrderDocument.of(new ShippedOrder("40", "400", "404", null, null, "utah", 9.5, "usd")))
                .containsEntry(Field.CUSTOMER_NAME.name(), null).containsEntry(Field.CUSTOMER_AGE.name(), null);
    }

    @SuppressWarnings("unchecked")
    @Test
    void idsAreKeywordsNamesAreTextAgeAnIntegerAndPriceADoubleEachStringWithAKeywordSubField() {
        Map<String, Map<String, Object>> properties = (Map<String, Map<String, Object>>) ShippedOrderDocument.mapping().get("properties");

        assertThat(properties.keySet()).containsExactly("O_ORDER_ID", "SHIPMENT_ID", "CUSTOMER_ID", "CUSTOMER_NAME",
                "CUSTOMER_AGE", "ORIGIN", "PRICE", "CURRENCY");
        assertThat(properties.get(Field.CUSTOMER_ID.name())).containsEntry("type", "keyword");
        assertThat((Map<String, Object>) properties.get(Field.CUSTOMER_ID.name()).get("fields")).containsKey("keyword");
        assertThat(properties.get(Field.CUSTOMER_NAME.name())).containsEntry("type", "text");
        assertThat((Map<String, Object>) properties.get(Field.CUSTOMER_NAME.name()).get("fields")).containsKey("keyword");
        assertThat(properties.get(Field.CUSTOMER_AGE.name())).containsEntry("type", "integer");
        assertThat(properties.get(Field.PRICE.name())).containsEntry("type", "double");
    }
}
