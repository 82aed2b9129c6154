package io.streamingetl.essink;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which refusals are the document's own (dead letters) and which meet every document alike (retried). */
class BulkWriterTest {
    @Test
    void mappingParseAndValueErrorsAndATooLargeDocumentAreTheDocumentsFault() {
        assertThat(BulkWriter.isTheDocumentsFault(400, "mapper_parsing_exception")).isTrue();
        assertThat(BulkWriter.isTheDocumentsFault(400, "document_parsing_exception")).isTrue();
        assertThat(BulkWriter.isTheDocumentsFault(400, "illegal_argument_exception")).isTrue();
        assertThat(BulkWriter.isTheDocumentsFault(400, "strict_dynamic_mapping_exception")).isTrue();
        assertThat(BulkWriter.isTheDocumentsFault(400, "action_request_validation_exception")).isTrue();
        assertThat(BulkWriter.isTheDocumentsFault(413, "content_too_long")).isTrue();
    }

    @Test
    void credentialsPrivilegesAMissingClosedOrBlockedIndexAndOverloadAreNot() {
        assertThat(BulkWriter.isTheDocumentsFault(401, "security_exception")).isFalse();
        assertThat(BulkWriter.isTheDocumentsFault(403, "security_exception")).isFalse();
        assertThat(BulkWriter.isTheDocumentsFault(403, "cluster_block_exception")).isFalse();
        assertThat(BulkWriter.isTheDocumentsFault(404, "index_not_found_exception")).isFalse();
        assertThat(BulkWriter.isTheDocumentsFault(400, "index_closed_exception")).isFalse();
        assertThat(BulkWriter.isTheDocumentsFault(408, "timeout")).isFalse();
        assertThat(BulkWriter.isTheDocumentsFault(429, "es_rejected_execution_exception")).isFalse();
        assertThat(BulkWriter.isTheDocumentsFault(503, "unavailable_shards_exception")).isFalse();
    }
}
