package io.streamingetl.search;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamingetl.search.BulkWriter.Write;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NewestWritesTest {
    private static Write<String> write(String source, String id, long version) {
        return new Write<>(source, id, version, Map.of("PRICE", source));
    }

    @Test
    void anOldRecordReplayedAfterTheNewerOneInTheSameBatchDoesNotDropTheNewerWrite() {
        List<Write<String>> batch = List.of(write("new", "17", 200), write("old replayed", "17", 100));

        assertThat(NewestWrites.of(batch)).extracting(Write::source).containsExactly("new");
    }

    @Test
    void ofEqualVersionsTheLaterRecordWins() {
        List<Write<String>> batch = List.of(write("first", "22", 300), write("second", "22", 300));

        assertThat(NewestWrites.of(batch)).extracting(Write::source).containsExactly("second");
    }

    @Test
    void aHigherVersionLaterInTheBatchReplacesTheEarlierWrite() {
        List<Write<String>> batch = List.of(write("older", "17", 100), write("other order", "22", 5), write("newer", "17", 200));

        assertThat(NewestWrites.of(batch)).extracting(Write::source).containsExactly("newer", "other order");
    }

    @Test
    void aDeleteAtAHigherVersionWinsOverAnOlderDocument() {
        Write<String> delete = new Write<>("tombstone", "17", 300, null);
        List<Write<String>> batch = List.of(delete, write("old replayed", "17", 200));

        assertThat(NewestWrites.of(batch)).containsExactly(delete);
    }

    @Test
    void cuttingLeavesTheBatchEmpty() {
        NewestWrites<String> newest = new NewestWrites<>();
        newest.add(write("a", "1", 1));

        assertThat(newest.cut()).hasSize(1);
        assertThat(newest.size()).isZero();
    }
}
