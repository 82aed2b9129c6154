package io.streamingetl.runtime;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

/**
 * Every RocksDB store of the process shares one block cache, which also holds the memtables, index and filter
 * blocks (Kafka Streams' documented recipe for bounded memory): RocksDB's off-heap memory stays within
 * {@code ROCKSDB_MEMORY} however many stores and partitions a service has, so a container's memory limit can
 * cover heap plus RocksDB.
 */
public final class BoundedRocksDbMemory implements RocksDBConfigSetter {
    /** The streams property carrying the bound, in bytes. */
    public static final String BYTES_CONFIG = "pipeline.rocksdb.memory.bytes";
    private static final double INDEX_AND_FILTER_SHARE = 0.1;
    private static final double MEMTABLE_SHARE = 0.5;

    private static Cache cache;
    private static WriteBufferManager writeBufferManager;

    private static synchronized void share(long bytes) {
        if (cache == null) {
            cache = new LRUCache(bytes, -1, false, INDEX_AND_FILTER_SHARE);
            writeBufferManager = new WriteBufferManager((long) (bytes * MEMTABLE_SHARE), cache);
        }
    }

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        share(Long.parseLong(String.valueOf(configs.getOrDefault(BYTES_CONFIG, 128L * 1024 * 1024))));
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        table.setBlockCache(cache);
        table.setCacheIndexAndFilterBlocks(true);
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        table.setPinTopLevelIndexAndFilter(true);
        options.setWriteBufferManager(writeBufferManager);
        options.setTableFormatConfig(table);
    }

    @Override
    public void close(String storeName, Options options) {
        // The cache and the write buffer manager are shared by every store of the process: kept open.
    }
}
