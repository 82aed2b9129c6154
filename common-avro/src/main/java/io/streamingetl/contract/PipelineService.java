package io.streamingetl.contract;

/**
 * The pipeline's five services in the order changes flow through them: each one's name and the HTTP port
 * for its health and metrics that the demo, the images and the manifests give it.
 */
public enum PipelineService {
    CUSTOMERS_CDC("customers-cdc", 8081),
    LOGISTICS_CDC("logistics-cdc", 8082),
    ENRICHMENT("enrichment-service", 8083),
    SHIPMENT_JOIN("shipment-join-service", 8084),
    ES_SINK("es-sink-service", 8085);

    private final String serviceName;
    private final int defaultHttpPort;

    PipelineService(String serviceName, int defaultHttpPort) {
        this.serviceName = serviceName;
        this.defaultHttpPort = defaultHttpPort;
    }

    public String serviceName() {
        return serviceName;
    }

    public int defaultHttpPort() {
        return defaultHttpPort;
    }

    /** The setting that tells {@code ./pipeline} where it answers: {@code CUSTOMERS_CDC_URL}, ..., {@code ES_SINK_URL}. */
    public String urlSetting() {
        return name() + "_URL";
    }

    public static PipelineService named(String serviceName) {
        for (PipelineService service : values()) {
            if (service.serviceName.equals(serviceName)) {
                return service;
            }
        }
        throw new IllegalArgumentException("no pipeline service " + serviceName);
    }
}
