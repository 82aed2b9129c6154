package io.streamingetl.runtime;

import java.util.regex.Pattern;

/**
 * Text from outside (a record's key, an error message, a URL) made safe to put in a log line or a readiness
 * answer: control characters escaped, so a key holding a newline cannot forge a line, and the credentials a
 * URL may carry ({@code https://user:password@host}) masked.
 */
public final class SafeText {
    private static final Pattern URL_CREDENTIALS = Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*://)[^/@\\s]*@");

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
}
