package io.streamingetl.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/**
 * What {@code ./demo.sh} was asked to do, read from its arguments alone by picocli (nothing is started or
 * deleted). The help it prints is {@code demo-usage.txt}, which {@code demo.sh} also prints without Java.
 */
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
    /** The tutorial's customers, orders and shipments into running databases (docker compose's loader). */
    record Seed() implements DemoCommand {
    }

    record LiveStep() implements DemoCommand {
    }

    /** Arguments that are no command: the usage follows the reason, and the exit code is 2. */
    final class UsageError extends Exception {
        UsageError(String reason) {
            super(reason);
        }
    }

    @Command(name = "demo.sh", subcommands = {LiveStepLine.class, SeedLine.class, SqlLine.class, MongoLine.class, HelpLine.class})
    final class Line {
        @Option(names = "--no-seed")
        boolean noSeed;

        @Option(names = {"--help", "-h"})
        boolean help;
    }

    @Command(name = "live-step")
    final class LiveStepLine {
    }

    @Command(name = "seed")
    final class SeedLine {
    }

    @Command(name = "sql")
    final class SqlLine {
        @Parameters(arity = "1", paramLabel = "\"<statement>\"")
        String statement;
    }

    @Command(name = "mongo")
    final class MongoLine {
        @Parameters(index = "0", paramLabel = "<collection>")
        String collection;

        @Parameters(index = "1", paramLabel = "'<json>'")
        String json;
    }

    @Command(name = "help")
    final class HelpLine {
    }

    static DemoCommand parse(List<String> args) throws UsageError {
        Line line = new Line();
        CommandLine.ParseResult parsed;
        try {
            parsed = new CommandLine(line).setExpandAtFiles(false).parseArgs(args.toArray(String[]::new));
        } catch (CommandLine.UnmatchedArgumentException e) {
            String first = e.getUnmatched().get(0);
            throw new UsageError(line.noSeed ? "--no-seed takes no arguments: " + e.getUnmatched()
                    : "unknown " + (first.startsWith("-") ? "option" : "command") + " '" + first + "'");
        } catch (CommandLine.ParameterException e) {
            throw new UsageError(e.getMessage());
        }
        if (line.help) {
            return new Help();
        }
        if (!parsed.hasSubcommand()) {
            return new Run(!line.noSeed);
        }
        Object sub = parsed.subcommand().commandSpec().userObject();
        if (line.noSeed) {
            throw new UsageError("--no-seed starts a demo; it does not go with " + parsed.subcommand().commandSpec().name());
        }
        if (sub instanceof SqlLine sql) {
            return new Sql(sql.statement);
        }
        if (sub instanceof MongoLine mongo) {
            return new Mongo(mongo.collection, mongo.json);
        }
        if (sub instanceof SeedLine) {
            return new Seed();
        }
        return sub instanceof HelpLine ? new Help() : new LiveStep();
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
