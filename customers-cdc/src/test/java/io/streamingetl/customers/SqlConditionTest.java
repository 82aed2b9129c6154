package io.streamingetl.customers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SqlConditionTest {
    @ParameterizedTest
    @ValueSource(strings = {"id = '5'", "age > 30 AND (name LIKE 'f%' OR name = 'it''s; -- not a comment')",
            "\"name\" IN ('a', 'b')", "id IN (SELECT id FROM customers WHERE age < 40)", "name = '/* no comment */'"})
    void oneExpressionIsTakenAsItIs(String where) {
        assertThat(SqlCondition.check(where)).isEqualTo(where);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1=1; DROP TABLE customers", "1=1 -- the rest", "1=1 /* the rest */", "1=1) OR (1=1",
            "1=1) UNION SELECT count(*) FROM pg_authid WHERE (1=1", "name = 'open", "(1=1", "$$x$$ = 'x'",
            // E'\'' is one quote to Postgres: a checker counting quotes alone would read the ';' as quoted.
            "name = E'\\'' ; DROP TABLE customers; --'", "name = 'a\u0000'"})
    void aSecondStatementACommentOrAnythingEndingTheClauseIsRefused(String where) {
        assertThatThrownBy(() -> SqlCondition.check(where)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("one SQL condition of the table's columns is taken");
    }
}
