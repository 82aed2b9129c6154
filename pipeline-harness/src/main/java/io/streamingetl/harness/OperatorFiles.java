package io.streamingetl.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

/**
 * What a local pipeline leaves in its work directory for the operator's tools, readable by the user only: the
 * operator's token its services were given ({@code ./pipeline} reads it) and, on a secured Kafka, a client's settings.
 */
public final class OperatorFiles {
    /** The operator's token of the services' ops servers (their OPS_TOKEN). */
    public static final String OPS_TOKEN_FILE = "ops-token";
    /** Shell exports of the settings a Kafka client needs when Kafka is secured. */
    public static final String KAFKA_CLIENT_ENV = "kafka-client.env";

    private OperatorFiles() {
    }

    /** A new random operator's token, written to {@link #OPS_TOKEN_FILE} in {@code workDir}. */
    static String writeNewOpsToken(Path workDir) {
        String token = newSecret();
        writeOwnerOnly(workDir.resolve(OPS_TOKEN_FILE), token);
        return token;
    }

    /** 24 random bytes as 32 URL-safe characters: a token, or a password no one types. */
    static String newSecret() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The operator's token a running local pipeline in {@code workDir} gave its services. */
    public static String readOpsToken(Path workDir) {
        try {
            return Files.readString(workDir.resolve(OPS_TOKEN_FILE)).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("No operator's token in " + workDir + ": is the demo running (./demo.sh)?", e);
        }
    }

    /** {@code settings} as shell exports in {@link #KAFKA_CLIENT_ENV}, for ./pipeline and the user's own tools. */
    static Path writeKafkaClientSettings(Path workDir, Map<String, String> settings) {
        StringBuilder exports = new StringBuilder();
        settings.forEach((key, value) -> exports.append("export ").append(key).append("='").append(value).append("'\n"));
        Path file = workDir.resolve(KAFKA_CLIENT_ENV);
        writeOwnerOnly(file, exports.toString());
        return file;
    }

    /**
     * Written into a file made owner-only as it is created, then moved into place in one step: the content is never in
     * a file others may read (as between a write and a chmod), and a reader never sees half of it.
     */
    private static void writeOwnerOnly(Path file, String content) {
        Path temporary = null;
        try {
            Files.createDirectories(file.getParent());
            temporary = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(temporary, content);
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file + ": " + e.getMessage(), e);
        } finally {
            if (temporary != null) {
                try {
                    Files.deleteIfExists(temporary);
                } catch (IOException e) {
                    // Moved into place already, or the directory is gone: nothing is left to clean.
                }
            }
        }
    }
}
