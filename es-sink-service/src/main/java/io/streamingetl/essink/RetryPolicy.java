package io.streamingetl.essink;

import io.streamingetl.search.BulkWriter.Outcome;
import io.streamingetl.search.BulkWriter.Rejection;
import io.streamingetl.search.BulkWriter.Write;
import java.util.ArrayList;
import java.util.List;

/**
 * What to do with what an attempt did not write: what the engine refused for every document alike is retried;
 * what it rejected for the document itself is dead-lettered, unless more than {@code maxRejectionsInARow}
 * documents were rejected in a row with none written: then the sink holds them and says so, as a broken mapping
 * would otherwise empty the topic into its dead-letter topic. The reason it gives (readiness, {@code /status}) names the
 * error's status and type and a document's id, never the engine's text, which can quote a field's value: that stays in
 * the dead letter.
 */
final class RetryPolicy {
    private final int maxRejectionsInARow;
    private int rejectionsInARow;

    /** The writes to try again and why (null when none), and the rejections to dead-letter. */
    record Decision<S>(List<Write<S>> toRetry, String reason, List<Rejection<S>> toDeadLetter) {
    }

    RetryPolicy(int maxRejectionsInARow) {
        this.maxRejectionsInARow = maxRejectionsInARow;
    }

    <S> Decision<S> decide(Outcome<S> outcome, String engine) {
        boolean wroteAny = !outcome.written().isEmpty() || outcome.stale() > 0;
        rejectionsInARow = (wroteAny ? 0 : rejectionsInARow) + outcome.rejected().size();
        List<Write<S>> toRetry = new ArrayList<>(outcome.toRetry());
        if (rejectionsInARow > maxRejectionsInARow) {
            Rejection<S> last = outcome.rejected().get(outcome.rejected().size() - 1);
            outcome.rejected().forEach(r -> toRetry.add(r.write()));
            return new Decision<>(toRetry, rejectionsInARow + " documents rejected in a row, none written (last: "
                    + last.errorClass() + "): a broken mapping? Holding them; fix the index, or raise "
                    + EsSinkConfig.MAX_REJECTIONS_IN_A_ROW, List.of());
        }
        return new Decision<>(toRetry, toRetry.isEmpty() ? null : engine + " refused " + toRetry.size()
                + " documents for a reason that is not theirs (" + outcome.retryErrorClass() + ")", outcome.rejected());
    }
}
