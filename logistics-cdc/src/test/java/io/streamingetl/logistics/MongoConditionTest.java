package io.streamingetl.logistics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** An operator's --where as the MongoDB query Debezium's incremental snapshot takes. */
class MongoConditionTest {

    @Test
    void aTextEqualityIsAFieldOfTheQuery() {
        assertThat(MongoCondition.toQuery("order_id = '31'")).isEqualTo("{\"order_id\": \"31\"}");
    }

    @Test
    void conditionsJoinedByAndAreFieldsOfOneQueryNumbersStayNumbers() {
        assertThat(MongoCondition.toQuery("customer_id = '7' AND price = 29.71"))
                .isEqualTo("{\"customer_id\": \"7\", \"price\": 29.71}");
    }

    @Test
    void anInListIsAnInOperator() {
        assertThat(MongoCondition.toQuery("order_id IN ('31', '32')")).isEqualTo("{\"order_id\": {\"$in\": [\"31\", \"32\"]}}");
    }

    @Test
    void aMongoQueryIsTakenAsItIs() {
        assertThat(MongoCondition.toQuery("{\"price\": {\"$gt\": 10}}")).isEqualTo("{\"price\": {\"$gt\": 10}}");
    }

    @Test
    void aQuoteInsideATextIsDoubled() {
        assertThat(MongoCondition.toQuery("origin = 'o''hare'")).isEqualTo("{\"origin\": \"o'hare\"}");
    }

    @Test
    void anythingElseIsRefusedSayingWhatToWriteInstead() {
        assertThatThrownBy(() -> MongoCondition.toQuery("price > 10"))
                .hasMessage("'price > 10' is neither field = value nor field IN (...); write a MongoDB query {...} for anything else");
    }
}
