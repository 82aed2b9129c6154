package io.streamingetl.mongostandin;

import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.memory.MemoryCollection;
import de.bwaldvogel.mongo.backend.memory.MemoryDatabase;

/** mongo-java-server's in-memory database whose collections keep their documents in {@code _id} order ({@link IdOrderedCollection}). */
final class IdOrderedDatabase extends MemoryDatabase {
    IdOrderedDatabase(String databaseName, CursorRegistry cursorRegistry) {
        super(databaseName, cursorRegistry);
    }

    @Override
    protected MemoryCollection openOrCreateCollection(String collectionName, CollectionOptions options) {
        return new IdOrderedCollection(this, collectionName, options, cursorRegistry);
    }
}
