package io.streamingetl.pipeline;

import io.streamingetl.cli.PipelineCli;
import io.streamingetl.contract.PipelineService;
import io.streamingetl.harness.LocalPipeline;
import io.streamingetl.localstack.Engines;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.HashMap;
import java.util.Map;

/** {@code ./pipeline} as an operator runs it against a test's pipeline: its names, its engines, its services, its token. */
record OperatorCommand(int exitCode, String out, String err) {

    static OperatorCommand run(LocalPipeline pipeline, Engines engines, String... args) {
        Map<String, String> environment = new HashMap<>(pipeline.names().cliSettings());
        environment.putAll(Map.of("KAFKA_BOOTSTRAP_SERVERS", engines.kafkaBootstrapServers(),
                "SCHEMA_REGISTRY_URL", engines.schemaRegistryUrl(), "ES_URL", engines.searchUrl(), "OPS_TOKEN", pipeline.opsToken()));
        for (PipelineService service : PipelineService.values()) {
            environment.put(service.urlSetting(), "http://127.0.0.1:" + pipeline.service(service.serviceName()).httpPort());
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = PipelineCli.run(args, environment, new PrintWriter(out, true), new PrintWriter(err, true));
        LocalPipeline.say("./pipeline " + String.join(" ", args) + " exited " + exitCode);
        return new OperatorCommand(exitCode, out.toString(), err.toString());
    }
}
