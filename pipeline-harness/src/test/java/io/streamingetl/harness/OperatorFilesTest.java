package io.streamingetl.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
}
