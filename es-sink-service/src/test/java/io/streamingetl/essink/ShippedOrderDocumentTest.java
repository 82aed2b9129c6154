package io.streamingetl.essink;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamingetl.avro.ShippedOrder;
import io.streamingetl.essink.ShippedOrderDocument.Field;
import io.streamingetl.localstack.TutorialData;
import org.junit.jupiter.api.Test;

class ShippedOrderDocumentTest {

    @Test
    void order22IsTheDocumentTheTutorialIndexedFieldForFieldInOrder() {
        assertThat(ShippedOrderDocument.of(new ShippedOrder("22", "71", "7", "sue", 25, "iowa", 29.71, "aud")))
                .containsExactlyEntriesOf(TutorialData.load().expectedDocuments().get("22"));
    }

    @Test
    void theMappingHasEveryFieldOfTheDocument() {
        assertThat(ShippedOrderDocument.mapping().properties().keySet())
                .containsExactlyInAnyOrderElementsOf(TutorialData.load().expectedDocuments().get("22").keySet());
    }

    @Test
    void idsAreKeywordsNamesAreTextAgeAnIntegerAndPriceADouble() {
        var properties = ShippedOrderDocument.mapping().properties();
        assertThat(properties.get(Field.CUSTOMER_ID.name()).isKeyword()).isTrue();
        assertThat(properties.get(Field.CUSTOMER_ID.name()).keyword().fields()).containsKey("keyword");
        assertThat(properties.get(Field.CUSTOMER_NAME.name()).isText()).isTrue();
        assertThat(properties.get(Field.CUSTOMER_AGE.name()).isInteger()).isTrue();
        assertThat(properties.get(Field.PRICE.name()).isDouble()).isTrue();
    }
}
