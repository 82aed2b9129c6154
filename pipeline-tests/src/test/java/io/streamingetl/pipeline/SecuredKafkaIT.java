package io.streamingetl.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamingetl.contract.PipelineService;
import io.streamingetl.harness.LocalPipeline;
import io.streamingetl.harness.ServiceProcess;
import io.streamingetl.localstack.EmbeddedEngines;
import io.streamingetl.localstack.FreePorts;
import io.streamingetl.localstack.HttpProbe;
import io.streamingetl.localstack.KafkaEngine;
import io.streamingetl.localstack.SearchEngineKind;
import io.streamingetl.localstack.TutorialData;
import io.streamingetl.runtime.KafkaConnection;
import io.streamingetl.runtime.SchemaRegistries;
import io.streamingetl.runtime.ServiceLauncher;
import io.streamingetl.runtime.TopicAdmin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The pipeline on a broker whose only client listener is SASL_SSL (SCRAM-SHA-512 over TLS): refused without
 * credentials, every service working with them, a wrong password a service that says why and keeps asking.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecuredKafkaIT {
    private static final Duration WAIT = Duration.ofSeconds(90);

    private EmbeddedEngines engines;
    private Path workDir;

    @BeforeAll
    void startSecuredEngines() throws Exception {
        engines = new EmbeddedEngines(EmbeddedEngines.Ports.FREE, null, KafkaEngine.Security.SASL_SSL, SearchEngineKind.ELASTICSEARCH);
        workDir = Files.createTempDirectory("secured");
        engines.kafkaBootstrapServers();
    }

    @AfterAll
    void stopEngines() {
        engines.close();
    }

    private static Throwable listTopicsFailure(Map<String, Object> client) throws InterruptedException {
        try (Admin admin = Admin.create(client)) {
            admin.listTopics().names().get(15, TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (TimeoutException e) {
            return e;
        }
    }

    @Test
    void aClientWithoutCredentialsOrWithAWrongPasswordIsRefused() throws Exception {
        Map<String, Object> plaintext = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, engines.kafkaBootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 4000);
        assertThat(listTopicsFailure(plaintext)).as("a plaintext client gets no answer").isNotNull();

        Map<String, Object> wrongPassword = new HashMap<>(engines.kafkaConnection().properties());
        wrongPassword.put("sasl.jaas.config", KafkaEngine.scramJaas(KafkaEngine.CLIENT_USER, "not-the-password"));
        assertThat(listTopicsFailure(wrongPassword)).isInstanceOf(SaslAuthenticationException.class);

        assertThat(listTopicsFailure(engines.kafkaConnection().with(Map.of()))).as("with the credentials").isNull();
    }

    @Test
    void theTutorialRunsWithEveryServiceGivenTheCredentialsAndNoLogShowsThePassword() throws Exception {
        Path demoDir = Files.createTempDirectory(workDir, "demo");
        try (LocalPipeline demo = LocalPipeline.start(engines, new LocalPipeline.Options(
                LocalPipeline.repositoryRoot(), demoDir, 0, 3))) {
            demo.seedTutorial();
            Map<String, Map<String, Object>> expected = TutorialData.load().expectedDocuments();
            assertThat(await().atMost(WAIT).pollInterval(Duration.ofMillis(250)).until(demo::documents, d -> d.size() >= expected.size()))
                    .isEqualTo(expected);
            String password = passwordOf(engines.kafkaClientSettings().get("KAFKA_SASL_JAAS_CONFIG"));
            for (ServiceProcess service : demo.services()) {
                assertThat(Files.readString(service.log())).as(service.name() + "'s log").doesNotContain(password);
            }
        }
    }

    @Test
    void aServiceGivenAWrongPasswordIsNotReadyWithTheReasonAndKeepsRunningWithoutShowingIt() throws Exception {
        Map<String, String> environment = new HashMap<>(engines.kafkaClientSettings());
        environment.put("KAFKA_SASL_JAAS_CONFIG", KafkaEngine.scramJaas(KafkaEngine.CLIENT_USER, "wrong-password-42"));
        environment.put(SchemaRegistries.SCHEMA_REGISTRY_URL, engines.schemaRegistryUrl());
        environment.put("STATE_DIR", Files.createTempDirectory(workDir, "state").toString());
        environment.put(ServiceLauncher.EXIT_WITH_PARENT, "true");
        String name = PipelineService.ENRICHMENT.serviceName();
        ServiceProcess service = new ServiceProcess(name, LocalPipeline.repositoryRoot().resolve(name)
                .resolve("target").resolve(name + ".jar"), environment, FreePorts.next(), workDir.resolve("logs"));
        service.start();
        try {
            HttpProbe.Answer ready = await().atMost(WAIT).pollInterval(Duration.ofMillis(250)).until(() -> HttpProbe.get(service.readyUrl()), a -> a.body().contains("refused the credentials"));
            assertThat(ready.status()).isEqualTo(503);
            assertThat(ready.body()).startsWith("not ready: Kafka at " + engines.kafkaBootstrapServers()
                    + " refused the credentials: Authentication failed");
            // It keeps asking rather than exiting: alive, and live, after its next attempts.
            Thread.sleep(3000);
            assertThat(service.isAlive()).isTrue();
            assertThat(HttpProbe.get(service.readyUrl().replace("/ready", "/live")).status()).isEqualTo(200);
            assertThat(Files.readString(service.log())).contains("refused the credentials").doesNotContain("wrong-password-42");
        } finally {
            service.stop();
        }
    }

    /**
     * With the Kafka signal channel turned on (SIGNAL_KAFKA_ENABLED), on a cluster with an authorizer its topic is the
     * services' principal's alone: the ACLs the topic admin creates name it, and another user's write is refused.
     */
    @Test
    void theKafkaSignalTopicIsWritableByTheServicesPrincipalAlone() throws Exception {
        KafkaConnection services = engines.kafkaConnection();
        String topic = "customers-cdc-acl-signals";
        TopicAdmin.ensureControlTopic(services, topic, (short) -1);

        boolean restricted = TopicAdmin.allowOnly(services, topic, "customers-cdc-signals", "User:" + KafkaEngine.CLIENT_USER);

        assertThat(restricted).isTrue();
        try (Admin admin = Admin.create(services.with(Map.of()))) {
            assertThat(admin.describeAcls(new AclBindingFilter(new ResourcePatternFilter(ResourceType.TOPIC, topic, PatternType.LITERAL),
                    AccessControlEntryFilter.ANY)).values().get(30, TimeUnit.SECONDS))
                    .extracting(b -> b.entry().principal() + " " + b.entry().operation() + " " + b.entry().permissionType())
                    .containsExactlyInAnyOrder("User:pipeline READ ALLOW", "User:pipeline WRITE ALLOW", "User:pipeline DESCRIBE ALLOW");
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion("outsider",
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), "outsider-password"))).all().get(30, TimeUnit.SECONDS);
        }
        Map<String, Object> outsider = new HashMap<>(services.with(Map.of(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false,
                ProducerConfig.ACKS_CONFIG, "1", ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000)));
        outsider.put("sasl.jaas.config", KafkaEngine.scramJaas("outsider", "outsider-password"));
        // The new user is known once the broker has it: until then the write fails to authenticate, after it to authorize.
        Throwable refused = await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).until(() -> {
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(outsider, new ByteArraySerializer(), new ByteArraySerializer())) {
                producer.send(new ProducerRecord<>(topic, "customers".getBytes(), "{\"type\": \"execute-snapshot\"}".getBytes()))
                        .get(15, TimeUnit.SECONDS);
                return null;
            } catch (ExecutionException e) {
                return e.getCause();
            } catch (org.apache.kafka.common.KafkaException e) {
                return e;
            }
        }, cause -> !(cause instanceof SaslAuthenticationException));
        assertThat(refused).isInstanceOf(AuthorizationException.class);
    }

    private static String passwordOf(String jaas) {
        return jaas.replaceAll(".*password=\"([^\"]*)\".*", "$1");
    }
}
