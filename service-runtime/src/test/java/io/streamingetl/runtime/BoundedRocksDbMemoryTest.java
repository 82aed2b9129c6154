package io.streamingetl.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

class BoundedRocksDbMemoryTest {

    @Test
    void everyStoreSharesOneCacheThatAlsoHoldsIndexFilterAndMemtables() {
        RocksDB.loadLibrary();
        BoundedRocksDbMemory setter = new BoundedRocksDbMemory();
        try (Options first = new Options(); Options second = new Options()) {
            first.setTableFormatConfig(new BlockBasedTableConfig());
            second.setTableFormatConfig(new BlockBasedTableConfig());
            setter.setConfig("customers", first, Map.of(BoundedRocksDbMemory.BYTES_CONFIG, 16L * 1024 * 1024));
            setter.setConfig("orders", second, Map.of(BoundedRocksDbMemory.BYTES_CONFIG, 16L * 1024 * 1024));

            BlockBasedTableConfig table = (BlockBasedTableConfig) first.tableFormatConfig();
            assertThat(table.cacheIndexAndFilterBlocks()).isTrue();
            assertThat(table.pinTopLevelIndexAndFilter()).isTrue();
            assertThat(first.writeBufferManager()).isNotNull().isSameAs(second.writeBufferManager());
        }
    }

    @Test
    void theStreamsServicesBoundRocksDbToRocksDbMemoryMb() {
        Map<Object, Object> properties = StreamsService.properties(new Settings(Map.of("ROCKSDB_MEMORY_MB", "32")), "app",
                new SimpleMeterRegistry());
        assertThat(properties).containsEntry("rocksdb.config.setter", BoundedRocksDbMemory.class)
                .containsEntry(BoundedRocksDbMemory.BYTES_CONFIG, 32L * 1024 * 1024);
    }
}
