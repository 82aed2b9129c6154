package io.streamingetl.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SearchEngineTest {
    private static SearchEngine root(String json) throws Exception {
        return SearchEngine.fromRoot(SearchClient.JSON.readTree(json));
    }

    @Test
    void elasticsearchAndOpenSearchAreToldApartByTheirRootAnswer() throws Exception {
        assertThat(root("{\"version\": {\"number\": \"8.15.3\", \"build_flavor\": \"default\"}, \"tagline\": \"You Know, for Search\"}"))
                .hasToString("Elasticsearch 8.15.3");
        assertThat(root("{\"version\": {\"distribution\": \"opensearch\", \"number\": \"2.19.1\"}}")).hasToString("OpenSearch 2.19.1");
    }

    @Test
    void theVersionsTheSinkWritesToAreSupportedAndOthersRefusedInOneLine() throws Exception {
        for (String supported : new String[] {"7.10.2", "7.17.29", "8.19.0", "9.1.0"}) {
            assertThat(root("{\"version\": {\"number\": \"" + supported + "\"}}").supported()).as(supported).isTrue();
        }
        assertThat(root("{\"version\": {\"distribution\": \"opensearch\", \"number\": \"3.2.0\"}}").supported()).isTrue();
        assertThatThrownBy(() -> root("{\"version\": {\"number\": \"6.8.23\"}}").requireSupported())
                .hasMessage("Elasticsearch 6.8.23 is not supported: the sink writes to Elasticsearch 7.10 to 9.x and OpenSearch"
                        + " 2.x to 3.x (ES_URL)");
        assertThat(root("{\"version\": {\"number\": \"7.9.3\"}}").supported()).isFalse();
        assertThat(root("{\"version\": {\"distribution\": \"opensearch\", \"number\": \"1.3.20\"}}").supported()).isFalse();
    }

    @Test
    void anAnswerWithoutAVersionIsNoEngine() {
        assertThatThrownBy(() -> root("{\"name\": \"a proxy\"}")).hasMessageStartingWith("its root answer has no version number");
    }
}
