package io.streamingetl.runtime;

/** A setting is missing or wrong; the message names the key and what is expected, never a secret's value. */
public final class SettingsException extends IllegalArgumentException {
    private final String key;

    public SettingsException(String key, String problem) {
        super("Setting " + key + " " + problem);
        this.key = key;
    }

    public String key() {
        return key;
    }
}
