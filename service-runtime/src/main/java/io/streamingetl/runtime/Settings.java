package io.streamingetl.runtime;

import io.streamingetl.contract.Topic;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A service's settings, by their environment-variable names ({@code KAFKA_BOOTSTRAP_SERVERS}): the
 * environment wins over the properties file named by {@code SETTINGS_FILE}, which wins over the defaults
 * each service gives. A pure lookup: every reader validates, and a wrong value fails at start with the key's
 * name; a secret's value never appears in a message.
 */
public final class Settings {
    public static final String SETTINGS_FILE = "SETTINGS_FILE";
    /** {@code <SECRET>_FILE} names a file holding the secret's value. */
    public static final String FILE_SUFFIX = "_FILE";
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    private final Map<String, String> values;

    public Settings(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    /** The process environment over the file named by {@code SETTINGS_FILE}, if any. */
    public static Settings fromEnvironment() {
        return from(System.getenv());
    }

    public static Settings from(Map<String, String> environment) {
        Map<String, String> merged = new HashMap<>();
        String file = environment.get(SETTINGS_FILE);
        if (file != null && !file.isBlank()) {
            Properties properties = new Properties();
            try (Reader reader = Files.newBufferedReader(Path.of(file))) {
                properties.load(reader);
            } catch (IOException e) {
                throw new SettingsException(SETTINGS_FILE, "cannot read '" + file + "': " + e.getMessage());
            }
            properties.stringPropertyNames().forEach(k -> merged.put(k, properties.getProperty(k)));
        }
        environment.forEach((k, v) -> {
            if (v != null) {
                merged.put(k, v);
            }
        });
        return new Settings(merged);
    }

    public Settings with(String key, String value) {
        Map<String, String> copy = new HashMap<>(values);
        copy.put(key, value);
        return new Settings(copy);
    }

    /**
     * {@code topic} under the name its setting gives (the contract's name by default), its values' schemas in the
     * registry these settings name ({@link SchemaRegistries#of}).
     */
    public <K, V> Topic<K, V> topic(Topic<K, V> topic) {
        String name = string(topic.setting(), topic.name());
        if (!name.matches("[a-zA-Z0-9._-]{1,249}")) {
            throw new SettingsException(topic.setting(), "is '" + name + "', not a legal Kafka topic name");
        }
        return topic.named(name).registeredIn(SchemaRegistries.of(this));
    }

    public String string(String key, String defaultValue) {
        String value = values.get(key);
        if (value == null || value.isBlank()) {
            if (defaultValue == null) {
                throw new SettingsException(key, "is required and not set");
            }
            return defaultValue;
        }
        return value.trim();
    }

    /** A secret without a default: set it, or {@code <key>_FILE} naming a file that holds it. */
    public String requiredSecret(String key) {
        String value = secret(key, "");
        if (value.isEmpty()) {
            throw new SettingsException(key, "is required and not set (or " + key + FILE_SUFFIX + " naming a file that holds it)");
        }
        return value;
    }

    /**
     * Like {@link #string} but the value is never shown in an error message, and it may instead be read from the
     * file {@code <key>_FILE} names (a Kubernetes or Docker secret mounted as a file; a final newline is dropped).
     */
    public String secret(String key, String defaultValue) {
        String file = values.get(key + FILE_SUFFIX);
        if (file != null && !file.isBlank()) {
            try {
                return Files.readString(Path.of(file.trim())).replaceFirst("\\R\\z", "");
            } catch (IOException e) {
                throw new SettingsException(key + FILE_SUFFIX, "is '" + file + "', not a readable file: " + e.getMessage());
            }
        }
        String value = values.get(key);
        return value == null || value.isEmpty() ? defaultValue : value;
    }

    public int integer(String key, int defaultValue, int min, int max) {
        return (int) longValue(key, defaultValue, min, max);
    }

    public long longValue(String key, long defaultValue, long min, long max) {
        String raw = values.get(key);
        if (raw == null || raw.isBlank()) {
            return defaultValue;
        }
        try {
            long value = Long.parseLong(raw.trim());
            if (value < min || value > max) {
                throw new SettingsException(key, "is " + value + ", must be between " + min + " and " + max);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new SettingsException(key, "is '" + raw + "', not a whole number");
        }
    }

    public boolean bool(String key, boolean defaultValue) {
        String raw = values.get(key);
        if (raw == null || raw.isBlank()) {
            return defaultValue;
        }
        return switch (raw.trim().toLowerCase()) {
            case "true", "yes", "1" -> true;
            case "false", "no", "0" -> false;
            default -> throw new SettingsException(key, "is '" + raw + "', must be true or false");
        };
    }

    /** A duration as {@code 500ms}, {@code 30s}, {@code 5m}, {@code 24h}, {@code 7d} or ISO-8601 ({@code PT24H}). */
    public Duration duration(String key, Duration defaultValue) {
        String raw = values.get(key);
        if (raw == null || raw.isBlank()) {
            return defaultValue;
        }
        String text = raw.trim();
        Matcher m = DURATION.matcher(text);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
        try {
            return Duration.parse(text);
        } catch (RuntimeException e) {
            throw new SettingsException(key, "is '" + raw + "', not a duration such as 500ms, 30s, 24h, 7d or PT24H");
        }
    }

    public URI uri(String key, String defaultValue) {
        String raw = string(key, defaultValue);
        try {
            URI uri = new URI(raw);
            if (uri.getScheme() == null || uri.getHost() == null) {
                throw new SettingsException(key, "is '" + raw + "', not an absolute URL such as http://127.0.0.1:9200");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new SettingsException(key, "is '" + raw + "', not a URL: " + e.getMessage());
        }
    }

    /** Every setting starting with {@code prefix}, without it: the pass-through for a client's own properties. */
    public Map<String, String> withPrefix(String prefix) {
        Map<String, String> result = new TreeMap<>();
        values.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                result.put(k.substring(prefix.length()), v);
            }
        });
        return result;
    }
}
