package io.streamingetl.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OperatorFilesTest {
    @TempDir
    Path root;

    @Test
    void theOpsTokenIsWrittenOwnerOnlyIntoAWorkDirectoryNotCreatedYet() throws Exception {
        Path workDir = root.resolve("latency");

        String token = OperatorFiles.writeNewOpsToken(workDir);

        assertThat(OperatorFiles.readOpsToken(workDir)).isEqualTo(token).hasSize(32);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(workDir.resolve(OperatorFiles.OPS_TOKEN_FILE))))
                .isEqualTo("rw-------");
    }

    /** A token file left readable by others is replaced by a new file, owner-only from its creation; nothing else is left. */
    @Test
    void aNewTokenReplacesAnOldFileReadableByOthersWithAnOwnerOnlyOneAndLeavesNoTemporaryFile() throws Exception {
        Path old = root.resolve(OperatorFiles.OPS_TOKEN_FILE);
        Files.writeString(old, "an old token");
        Files.setPosixFilePermissions(old, PosixFilePermissions.fromString("rw-r--r--"));
        Object oldFile = Files.readAttributes(old, BasicFileAttributes.class).fileKey();

        String token = OperatorFiles.writeNewOpsToken(root);

        assertThat(Files.readString(old)).isEqualTo(token);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(old))).isEqualTo("rw-------");
        assertThat(Files.readAttributes(old, BasicFileAttributes.class).fileKey()).as("a new file, not the old one rewritten")
                .isNotEqualTo(oldFile);
        try (Stream<Path> files = Files.list(root)) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactly(OperatorFiles.OPS_TOKEN_FILE);
        }
    }
}
