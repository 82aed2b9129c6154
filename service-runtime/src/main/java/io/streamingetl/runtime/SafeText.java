package io.streamingetl.runtime;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Text from outside (a record's key, an error message, a URL) made safe to put in a log line or a readiness
 * answer: control characters escaped, so a key holding a newline cannot forge a line, and the credentials a
 * URL may carry ({@code https://user:password@host}) masked.
 */
public final class SafeText {
    private static final Pattern URL_CREDENTIALS = Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*://)[^/@\\s]*@");
    /** Setting or property names whose values are secrets: {@code POSTGRES_PASSWORD}, {@code mongodb.ssl.truststore.password}. */
    private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(password|token|secret|jaas|api[._]?key|credential).*");

    private SafeText() {
    }

    /** {@code text} with control characters escaped ({@code \n}, {@code \u0007}) and URL credentials masked. */
    public static String of(String text) {
        if (text == null) {
            return "null";
        }
        String masked = URL_CREDENTIALS.matcher(text).replaceAll("$1***@");
        StringBuilder safe = null;
        for (int i = 0; i < masked.length(); i++) {
            char c = masked.charAt(i);
            if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                if (safe == null) {
                    safe = new StringBuilder(masked.length() + 8).append(masked, 0, i);
                }
                switch (c) {
                    case '\n' -> safe.append("\\n");
                    case '\r' -> safe.append("\\r");
                    case '\t' -> safe.append("\\t");
                    default -> safe.append(String.format("\\u%04x", (int) c));
                }
            } else if (safe != null) {
                safe.append(c);
            }
        }
        return safe == null ? masked : safe.toString();
    }

    /** Whether a setting or property named {@code name} holds a secret, by its name. */
    public static boolean isSecretName(String name) {
        return SECRET_NAME.matcher(name).matches();
    }

    /** {@code values} for a {@code toString()}: each secret's value (by its name) replaced by {@code ***}, sorted by name. */
    public static Map<String, Object> masked(Map<String, ?> values) {
        Map<String, Object> masked = new TreeMap<>();
        values.forEach((name, value) -> masked.put(name, isSecretName(name) ? "***" : value));
        return masked;
    }

    /** A secret for a {@code toString()}: {@code ***} when set, {@code none} when empty. */
    public static String mask(String secret) {
        return secret == null || secret.isEmpty() ? "none" : "***";
    }
}
