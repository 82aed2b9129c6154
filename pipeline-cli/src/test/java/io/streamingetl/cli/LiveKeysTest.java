package io.streamingetl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The documents a rebuilt index must hold: per key the newest write, as the engine keeps it. */
class LiveKeysTest {
    private final LiveKeys keys = new LiveKeys();

    @Test
    void aTombstoneRemovesAKeyAndANewerDocumentBringsItBack() {
        keys.write("1", 10, false);
        keys.write("2", 10, false);
        keys.write("1", 11, true);
        assertThat(keys.expected()).isEqualTo(1);

        keys.write("1", 12, false);
        assertThat(keys.expected()).isEqualTo(2);
    }

    @Test
    void anOlderRecordReadLaterChangesNothingAsTheEngineRefusesItAsStale() {
        keys.write("1", 20, true);
        keys.write("1", 5, false);

        assertThat(keys.expected()).isZero();
    }

    @Test
    void aRejectedWriteIsNoDocumentUnlessANewerOneWon() {
        keys.write("1", 10, false);
        keys.write("2", 10, false);
        keys.rejected("1", 10);
        keys.write("2", 11, false);
        keys.rejected("2", 10);

        assertThat(keys.expected()).isEqualTo(1);
        assertThat(keys.rejected()).isEqualTo(1);
    }

    @Test
    void ofEqualVersionsTheLaterWriteWins() {
        keys.write("1", 0, false);
        keys.rejected("1", 0);
        keys.write("1", 0, false);

        assertThat(keys.expected()).isEqualTo(1);
    }

    @Test
    void settingsOnlyTheEngineSetsOrHoldingTheOldIndexsStateAreNotCopied() {
        assertThat(IndexBlueprint.copied("index.number_of_shards")).isTrue();
        assertThat(IndexBlueprint.copied("index.default_pipeline")).isTrue();
        assertThat(IndexBlueprint.copied("index.analysis.analyzer.folded.type")).isTrue();
        assertThat(IndexBlueprint.copied("index.uuid")).isFalse();
        assertThat(IndexBlueprint.copied("index.creation_date")).isFalse();
        assertThat(IndexBlueprint.copied("index.provided_name")).isFalse();
        assertThat(IndexBlueprint.copied("index.version.created")).isFalse();
        assertThat(IndexBlueprint.copied("index.blocks.write")).isFalse();
    }
}
