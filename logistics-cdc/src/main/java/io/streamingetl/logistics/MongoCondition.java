package io.streamingetl.logistics;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bson.Document;

/**
 * An operator's {@code --where} as the MongoDB query Debezium's incremental snapshot of a collection takes: a query
 * as is ({@code {"order_id": "31"}}), or the SQL-like conditions people write for the customers table, joined by
 * AND: {@code field = 'text'}, {@code field = 12.5}, {@code field IN ('a', 'b')}.
 */
final class MongoCondition {
    private static final Pattern EQUALS = Pattern.compile("\\s*([A-Za-z_][A-Za-z0-9_.]*)\\s*=\\s*('(?:[^']|'')*'|-?[0-9]+(?:\\.[0-9]+)?)\\s*");
    private static final Pattern IN = Pattern.compile("\\s*([A-Za-z_][A-Za-z0-9_.]*)\\s+(?i:IN)\\s*\\(([^)]*)\\)\\s*");
    private static final Pattern AND = Pattern.compile("\\s+(?i:AND)\\s+");

    private MongoCondition() {
    }

    /** The query as JSON; an IllegalArgumentException naming what could not be read. */
    static String toQuery(String where) {
        String trimmed = where.strip();
        if (trimmed.startsWith("{")) {
            try {
                return Document.parse(trimmed).toJson();
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("not a MongoDB query: " + e.getMessage(), e);
            }
        }
        Document query = new Document();
        for (String term : AND.split(trimmed)) {
            Matcher equals = EQUALS.matcher(term);
            Matcher in = IN.matcher(term);
            if (equals.matches()) {
                query.append(equals.group(1), value(equals.group(2)));
            } else if (in.matches()) {
                List<Object> values = new ArrayList<>();
                for (String value : in.group(2).split(",")) {
                    values.add(value(value.strip()));
                }
                query.append(in.group(1), new Document("$in", values));
            } else {
                throw new IllegalArgumentException("'" + term.strip() + "' is neither field = value nor field IN (...);"
                        + " write a MongoDB query {...} for anything else");
            }
        }
        return query.toJson();
    }

    private static Object value(String literal) {
        if (literal.startsWith("'")) {
            return literal.substring(1, literal.length() - 1).replace("''", "'");
        }
        return literal.contains(".") ? (Object) Double.parseDouble(literal) : (Object) Long.parseLong(literal);
    }
}
