package io.streamingetl.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** What {@code ./demo.sh} was asked to do, read from its arguments alone (nothing is started or deleted). */
sealed interface DemoCommand {
    /** Start everything; load the tutorial's data unless {@code --no-seed}. */
    record Run(boolean seed) implements DemoCommand {
    }

    record Help() implements DemoCommand {
    }

    /** One SQL statement on a running demo's Postgres. */
    record Sql(String statement) implements DemoCommand {
    }

    /** One document into a running demo's {@code logistics.<collection>}. */
    record Mongo(String collection, String json) implements DemoCommand {
    }

    /** The tutorial's live step on a running demo. */
    record LiveStep() implements DemoCommand {
    }

    /** Arguments that are no command: the usage follows the reason, and the exit code is 2. */
    final class UsageError extends Exception {
        UsageError(String reason) {
            super(reason);
        }
    }

    static DemoCommand parse(List<String> args) throws UsageError {
        if (args.isEmpty()) {
            return new Run(true);
        }
        String first = args.get(0);
        List<String> rest = args.subList(1, args.size());
        return switch (first) {
            case "help", "--help", "-h" -> new Help();
            case "--no-seed" -> {
                expect(first, rest, 0, "");
                yield new Run(false);
            }
            case "live-step" -> {
                expect(first, rest, 0, "");
                yield new LiveStep();
            }
            case "sql" -> {
                expect(first, rest, 1, " \"<statement>\"");
                yield new Sql(rest.get(0));
            }
            case "mongo" -> {
                expect(first, rest, 2, " <collection> '<json>'");
                yield new Mongo(rest.get(0), rest.get(1));
            }
            default -> throw new UsageError("unknown " + (first.startsWith("-") ? "option" : "command") + " '" + first + "'");
        };
    }

    private static void expect(String command, List<String> arguments, int count, String shape) throws UsageError {
        if (arguments.size() != count) {
            throw new UsageError(command + " takes " + (count == 0 ? "no arguments" : "arguments:" + shape)
                    + ", given " + arguments.size() + ": " + arguments);
        }
    }

    /** demo-usage.txt, the text {@code ./demo.sh help} prints (demo.sh prints the same file without Java). */
    static String usage() {
        try (InputStream in = DemoCommand.class.getResourceAsStream("/demo-usage.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
