package io.streamingetl.cli;

import io.streamingetl.cli.PipelineCli.CliException;
import io.streamingetl.contract.PipelineService;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** A pull query: {@code SELECT * FROM customers_by_key WHERE id = ...}, answered by enrichment-service. */
@Command(name = "customer", description = "The customer as enrichment-service knows it now (a pull query on its "
        + "customer table); exit code 1 when it knows none with that id.")
final class CustomerCommand implements Runnable {
    @ParentCommand
    private PipelineCli cli;

    @Parameters(paramLabel = "<id>", description = "the customer id")
    private String id;

    @Override
    public void run() {
        HttpResponse<String> answer = Http.asOperator(PipelineService.ENRICHMENT, cli.settings(), "GET",
                "/customers/" + URLEncoder.encode(id, StandardCharsets.UTF_8));
        if (answer.statusCode() == 404) {
            throw new CliException("enrichment-service knows no customer with id " + id);
        }
        if (answer.statusCode() != 200) {
            throw new CliException("enrichment-service answered " + answer.statusCode() + ": " + answer.body().strip());
        }
        cli.out().println(answer.body().strip());
    }
}
