package io.streamingetl.search;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WriteErrorTest {
    @Test
    void whatTheDocumentCausesItselfIsItsOwnFault() {
        assertThat(WriteError.of(400, "mapper_parsing_exception", "failed to parse field [CUSTOMER_AGE]")).isEqualTo(WriteError.DOCUMENT);
        assertThat(WriteError.of(400, "illegal_argument_exception", "Document contains at least one immense term in field=\"O_ORDER_ID\""))
                .isEqualTo(WriteError.DOCUMENT);
        assertThat(WriteError.of(413, "", "")).isEqualTo(WriteError.DOCUMENT);
    }

    @Test
    void anIllegalArgumentOfTheIndexsSetupIsHeldNotBlamedOnTheDocument() {
        assertThat(WriteError.of(400, "illegal_argument_exception", "pipeline with id [enrich] does not exist"))
                .isEqualTo(WriteError.RETRY);
        assertThat(WriteError.of(400, "illegal_argument_exception", "no write index is defined for alias [shipped_orders]."))
                .isEqualTo(WriteError.RETRY);
    }

    @Test
    void anOlderVersionIsStaleAndEverythingElseMeetsEveryDocumentAlike() {
        assertThat(WriteError.of(409, "version_conflict_engine_exception", "[22]: version conflict")).isEqualTo(WriteError.STALE);
        assertThat(WriteError.of(403, "cluster_block_exception", "index [x] blocked")).isEqualTo(WriteError.RETRY);
        assertThat(WriteError.of(400, "index_closed_exception", "closed")).isEqualTo(WriteError.RETRY);
        assertThat(WriteError.of(429, "es_rejected_execution_exception", "queue full")).isEqualTo(WriteError.RETRY);
        assertThat(WriteError.of(401, "security_exception", "missing authentication credentials")).isEqualTo(WriteError.RETRY);
    }
}
