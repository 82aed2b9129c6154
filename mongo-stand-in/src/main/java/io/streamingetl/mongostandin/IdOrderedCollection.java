package io.streamingetl.mongostandin;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.ValueComparator;
import de.bwaldvogel.mongo.backend.memory.MemoryCollection;
import de.bwaldvogel.mongo.bson.Document;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * mongo-java-server's in-memory collection with its documents also kept in {@code _id} order, as a mongod's
 * {@code _id} index keeps them: a query sorted by {@code _id} walks that order from the bounds its {@code _id}
 * conditions give, and stops at its limit. mongo-java-server alone filters every document and sorts what matched
 * before the limit, so each chunk of Debezium's incremental snapshot ({@code find({$and: [{_id: {$gt: a}}, {_id:
 * {$lte: b}}]}).sort({_id: 1}).limit(n)}) cost a scan and a sort of the whole collection: a snapshot of a million
 * documents in chunks of a thousand took hours. Every document is still matched against the whole query, so the bounds
 * only narrow where the walk starts and ends.
 */
final class IdOrderedCollection extends MemoryCollection {
    private static final String ID = "_id";

    /** Each document's position, by {@code _id} in BSON order; guarded by this collection's own lock. */
    private final NavigableMap<Object, Integer> byId = new TreeMap<>(ValueComparator.asc());

    IdOrderedCollection(MongoDatabase database, String collectionName, CollectionOptions options, CursorRegistry cursorRegistry) {
        super(database, collectionName, options, cursorRegistry);
    }

    @Override
    protected synchronized Integer addDocumentInternal(Document document) {
        Integer position = super.addDocumentInternal(document);
        Object id = document.get(ID);
        if (id != null) {
            byId.put(id, position);
        }
        return position;
    }

    @Override
    protected synchronized void removeDocument(Integer position) {
        Document document = getDocument(position);
        if (document != null && document.get(ID) != null) {
            byId.remove(document.get(ID));
        }
        super.removeDocument(position);
    }

    @Override
    protected synchronized QueryResult queryDocuments(Document query, Document orderBy, int numberToSkip, int limit,
                                                      int batchSize, Document fieldSelector) {
        Integer direction = idOrder(orderBy);
        List<String> included = included(fieldSelector);
        if (direction == null || included == null) {
            return super.queryDocuments(query, orderBy, numberToSkip, limit, batchSize, fieldSelector);
        }
        NavigableMap<Object, Integer> range = within(query == null ? new Document() : query);
        List<Document> matched = new ArrayList<>();
        int skipped = 0;
        int wanted = Math.abs(limit);
        for (Integer position : (direction > 0 ? range : range.descendingMap()).values()) {
            Document document = getDocument(position);
            if (document == null || !documentMatchesQuery(document, query == null ? new Document() : query)) {
                continue;
            }
            if (skipped < numberToSkip) {
                skipped++;
                continue;
            }
            matched.add(included.isEmpty() ? document : project(document, included, fieldSelector));
            if (wanted > 0 && matched.size() >= wanted) {
                break;
            }
        }
        return createQueryResult(matched, batchSize);
    }

    /** 1 or -1 for a sort by {@code _id} alone; null for any other order. */
    private static Integer idOrder(Document orderBy) {
        if (orderBy == null || orderBy.size() != 1 || !(orderBy.get(ID) instanceof Number number)) {
            return null;
        }
        return number.intValue() >= 0 ? 1 : -1;
    }

    /**
     * The fields an inclusion projection keeps ({@code _id} apart; empty: the whole document), or null for one this
     * does not do (exclusions, expressions): then mongo-java-server answers the query itself.
     */
    private static List<String> included(Document fieldSelector) {
        List<String> fields = new ArrayList<>();
        if (fieldSelector == null) {
            return fields;
        }
        for (Map.Entry<String, Object> field : fieldSelector.entrySet()) {
            boolean include = field.getValue() instanceof Boolean b ? b : field.getValue() instanceof Number n && n.intValue() != 0;
            if (field.getKey().equals(ID)) {
                continue;
            }
            if (!include || field.getKey().contains(".") || field.getKey().startsWith("$")) {
                return null;
            }
            fields.add(field.getKey());
        }
        if (fields.isEmpty() && fieldSelector.containsKey(ID)) {
            fields.add(ID); // {_id: 1}: the _id alone
        }
        return fields;
    }

    private static Document project(Document document, List<String> included, Document fieldSelector) {
        Document projected = new Document();
        Object keepId = fieldSelector.get(ID);
        boolean withId = keepId == null || (keepId instanceof Boolean b ? b : keepId instanceof Number n && n.intValue() != 0);
        if (withId && document.containsKey(ID)) {
            projected.put(ID, document.get(ID));
        }
        for (String field : included) {
            if (!field.equals(ID) && document.containsKey(field)) {
                projected.put(field, document.get(field));
            }
        }
        return projected;
    }

    /**
     * The documents between the bounds the query's top-level {@code _id} conditions give (its own, and those of an
     * {@code $and}): a superset of those that match, as each is matched after.
     */
    private NavigableMap<Object, Integer> within(Document query) {
        Bounds bounds = new Bounds();
        bounds.add(query);
        if (query.get("$and") instanceof List<?> conditions) {
            conditions.forEach(condition -> {
                if (condition instanceof Document document) {
                    bounds.add(document);
                }
            });
        }
        if (bounds.lower != null && bounds.upper != null) {
            int order = byId.comparator().compare(bounds.lower, bounds.upper);
            if (order > 0 || order == 0 && !(bounds.lowerInclusive && bounds.upperInclusive)) {
                return Collections.emptyNavigableMap(); // as the last chunk asks: after the maximum key, up to it
            }
            return byId.subMap(bounds.lower, bounds.lowerInclusive, bounds.upper, bounds.upperInclusive);
        }
        if (bounds.lower != null) {
            return byId.tailMap(bounds.lower, bounds.lowerInclusive);
        }
        return bounds.upper != null ? byId.headMap(bounds.upper, bounds.upperInclusive) : byId;
    }

    /** The first lower and upper bound found on {@code _id}: any one of each keeps every match within. */
    private static final class Bounds {
        Object lower;
        boolean lowerInclusive;
        Object upper;
        boolean upperInclusive;

        void add(Document condition) {
            if (!condition.containsKey(ID)) {
                return;
            }
            Object value = condition.get(ID);
            if (!(value instanceof Document operators) || operators.keySet().stream().noneMatch(key -> key.startsWith("$"))) {
                lower(value, true);
                upper(value, true);
                return;
            }
            operators.forEach((operator, bound) -> {
                switch (operator) {
                    case "$gt" -> lower(bound, false);
                    case "$gte", "$eq" -> lower(bound, true);
                    default -> {
                    }
                }
                switch (operator) {
                    case "$lt" -> upper(bound, false);
                    case "$lte", "$eq" -> upper(bound, true);
                    default -> {
                    }
                }
            });
        }

        private void lower(Object bound, boolean inclusive) {
            if (lower == null && bound != null) {
                lower = bound;
                lowerInclusive = inclusive;
            }
        }

        private void upper(Object bound, boolean inclusive) {
            if (upper == null && bound != null) {
                upper = bound;
                upperInclusive = inclusive;
            }
        }
    }
}
