package io.streamingetl.essink;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamingetl.search.BulkWriter.Outcome;
import io.streamingetl.search.BulkWriter.Rejection;
import io.streamingetl.search.BulkWriter.Write;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    private static final Write<String> A = new Write<>("a", "a", 1, null);
    private static final Write<String> B = new Write<>("b", "b", 2, null);
    private final RetryPolicy policy = new RetryPolicy(2);

    private static Outcome<String> rejecting(Write<String> write) {
        return new Outcome<>(List.of(), 0, List.of(), null, List.of(new Rejection<>(write, 400, "mapper_parsing_exception: x")));
    }

    @Test
    void whatEveryDocumentMeetsIsRetriedSayingWhy() {
        RetryPolicy.Decision<String> decision = policy.decide(
                new Outcome<>(List.of(), 0, List.of(A), "403 cluster_block_exception: blocked", List.of()), "OpenSearch");

        assertThat(decision.toRetry()).containsExactly(A);
        assertThat(decision.reason()).isEqualTo("OpenSearch refused 1 documents for a reason that is not theirs "
                + "(403 cluster_block_exception (document a))");
        assertThat(decision.toDeadLetter()).isEmpty();
    }

    @Test
    void aRejectedDocumentIsADeadLetterWhileRejectionsStayWithinTheLimit() {
        assertThat(policy.decide(rejecting(A), "Elasticsearch").toDeadLetter()).extracting(Rejection::write).containsExactly(A);
        assertThat(policy.decide(rejecting(B), "Elasticsearch").toDeadLetter()).extracting(Rejection::write).containsExactly(B);
    }

    @Test
    void oneRejectionMoreThanTheLimitInARowHoldsItInstead() {
        policy.decide(rejecting(A), "Elasticsearch");
        policy.decide(rejecting(A), "Elasticsearch");
        RetryPolicy.Decision<String> third = policy.decide(rejecting(B), "Elasticsearch");

        assertThat(third.toDeadLetter()).isEmpty();
        assertThat(third.toRetry()).containsExactly(B);
        assertThat(third.reason()).startsWith("3 documents rejected in a row, none written (last: 400 mapper_parsing_exception (document b))");
    }

    @Test
    void aDocumentWrittenInBetweenStartsTheCountAgain() {
        policy.decide(rejecting(A), "Elasticsearch");
        policy.decide(rejecting(A), "Elasticsearch");
        policy.decide(new Outcome<>(List.of(B), 0, List.of(), null, List.of()), "Elasticsearch");

        assertThat(policy.decide(rejecting(A), "Elasticsearch").toDeadLetter()).hasSize(1);
    }

    /** Readiness and /status are open: the engine's text, which can quote a document's value, stays in the dead letter. */
    @Test
    void theReasonNamesTheErrorAndTheDocumentNotTheValuesTheEngineQuotes() {
        String quoting = "mapper_parsing_exception: failed to parse field [CUSTOMER_AGE] of type [integer] in document with id 'b'."
                + " Preview of field's value: 'Fred Flintstone, 301 Cobblestone Way'";
        policy.decide(rejecting(A), "Elasticsearch");
        policy.decide(rejecting(A), "Elasticsearch");
        RetryPolicy.Decision<String> held = policy.decide(new Outcome<>(List.of(), 0, List.of(), null,
                List.of(new Rejection<>(B, 400, quoting))), "Elasticsearch");
        RetryPolicy.Decision<String> retried = new RetryPolicy(2).decide(new Outcome<>(List.of(), 0, List.of(A),
                "500 illegal_state_exception: pipeline failed on value 'Fred Flintstone'", List.of()), "Elasticsearch");

        assertThat(held.reason()).contains("last: 400 mapper_parsing_exception (document b)").doesNotContain("Fred");
        assertThat(retried.reason()).contains("(500 illegal_state_exception (document a))").doesNotContain("Fred");
    }
}
