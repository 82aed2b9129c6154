package io.streamingetl.customers;

/**
 * An operator's {@code --where} for the customers table, checked before anything runs it: one expression of a WHERE
 * clause. Refused: {@code ;} (a second statement), comments ({@code --}, {@code /*}: the rest of a statement hidden),
 * {@code $} (dollar quoting) and {@code \} (escapes: quotes that mean something else than they seem), a quote left
 * open, and a {@code )} closing what the condition did not open (it would end the WHERE clause it is put in). Postgres
 * then runs it as the capture's login, which may read two tables and write none of them, in a read-only transaction.
 */
final class SqlCondition {
    private SqlCondition() {
    }

    /** {@code where} when it is one expression; an IllegalArgumentException saying what is refused otherwise. */
    static String check(String where) {
        int depth = 0;
        char quote = 0;
        for (int i = 0; i < where.length(); i++) {
            char c = where.charAt(i);
            char next = i + 1 < where.length() ? where.charAt(i + 1) : 0;
            if (c == '\\') {
                throw refused("a backslash");
            }
            if (Character.isISOControl(c) && c != '\t' && c != '\n' && c != '\r') {
                throw refused("a control character");
            }
            if (quote != 0) {
                if (c == quote && next == quote) {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
                continue;
            }
            switch (c) {
                case '\'', '"' -> quote = c;
                case ';' -> throw refused("';': one condition, not statements");
                case '$' -> throw refused("'$'");
                case '(' -> depth++;
                case ')' -> {
                    if (--depth < 0) {
                        throw refused("a ')' closing what the condition did not open");
                    }
                }
                case '-', '/' -> {
                    if ((c == '-' && next == '-') || (c == '/' && next == '*')) {
                        throw refused("a comment");
                    }
                }
                default -> {
                }
            }
        }
        if (quote != 0) {
            throw refused("a quote left open");
        }
        if (depth != 0) {
            throw refused("a '(' left open");
        }
        return where;
    }

    private static IllegalArgumentException refused(String what) {
        return new IllegalArgumentException("one SQL condition of the table's columns is taken (id = '5', age > 30 AND name"
                + " LIKE 'f%'), and this has " + what);
    }
}
