package io.streamingetl.search;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a refused write means: the document's own fault (a mapping or parse error, an illegal value, a
 * document too large: a dead letter), an older version than the indexed one (stale: skipped), or anything
 * else, which would meet every document alike (authentication, authorization, a missing, closed or
 * write-blocked index, a missing ingest pipeline, 429, 5xx): held and retried.
 */
public enum WriteError {
    DOCUMENT, STALE, RETRY;

    /** The error types a document causes by itself. */
    private static final Set<String> DOCUMENT_ERRORS = Set.of("mapper_parsing_exception", "document_parsing_exception",
            "illegal_argument_exception", "strict_dynamic_mapping_exception", "action_request_validation_exception",
            "document_source_missing_exception");
    /**
     * {@code illegal_argument_exception} names the index, not the document, when the index's setup is wrong: a
     * default pipeline that does not exist, an alias without a write index, a data stream. Every document would
     * meet it: it is held, not dead-lettered.
     */
    private static final Pattern INDEX_FAULT = Pattern.compile(
            "(?i)pipeline|write index|alias|data stream|no such index|index \\[[^]]*] (is|does)");

    public static WriteError of(int status, String type, String reason) {
        if (status == 409 && "version_conflict_engine_exception".equals(type)) {
            return STALE;
        }
        if (status == 413) {
            return DOCUMENT;
        }
        if (status == 400 && DOCUMENT_ERRORS.contains(type)) {
            return "illegal_argument_exception".equals(type) && reason != null && INDEX_FAULT.matcher(reason).find()
                    ? RETRY : DOCUMENT;
        }
        return RETRY;
    }
}
