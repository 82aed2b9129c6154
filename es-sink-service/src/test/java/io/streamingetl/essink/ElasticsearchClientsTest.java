package io.streamingetl.essink;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ElasticsearchClientsTest {

    @Test
    void serversBefore714NeedTheAdapter() {
        assertThat(ElasticsearchClients.isBefore714(new int[] {7, 10})).isTrue();
        assertThat(ElasticsearchClients.isBefore714(new int[] {6, 8})).isTrue();
        assertThat(ElasticsearchClients.isBefore714(new int[] {7, 14})).isFalse();
        assertThat(ElasticsearchClients.isBefore714(new int[] {8, 15})).isFalse();
    }

    @Test
    void versionedMediaTypesBecomePlainOnes() {
        assertThat(ElasticsearchClients.plainMediaType("application/vnd.elasticsearch+json; compatible-with=7"))
                .isEqualTo("application/json");
        assertThat(ElasticsearchClients.plainMediaType("application/vnd.elasticsearch+x-ndjson; compatible-with=7"))
                .isEqualTo("application/x-ndjson");
        assertThat(ElasticsearchClients.plainMediaType("text/plain")).isEqualTo("text/plain");
    }
}
