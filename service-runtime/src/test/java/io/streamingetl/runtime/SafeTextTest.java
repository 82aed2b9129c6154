package io.streamingetl.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SafeTextTest {
    @Test
    void aKeyWithANewlineCannotForgeALogLine() {
        assertThat(SafeText.of("31\n[main] ERROR all is lost\u0007")).isEqualTo("31\\n[main] ERROR all is lost\\u0007");
    }

    @Test
    void credentialsInAUrlAreMasked() {
        assertThat(SafeText.of("connecting to https://elastic:s3cret@es.example:9243/ (and http://u@h)"))
                .isEqualTo("connecting to https://***@es.example:9243/ (and http://***@h)");
    }

    @Test
    void plainTextIsLeftAsItIs() {
        assertThat(SafeText.of("Elasticsearch unavailable at http://127.0.0.1:9200")).isEqualTo("Elasticsearch unavailable at http://127.0.0.1:9200");
    }
}
