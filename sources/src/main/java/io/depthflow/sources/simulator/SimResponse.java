package io.depthflow.sources.simulator;

import org.apache.flink.annotation.PublicEvolving;

/** An HTTP answer of the {@link ExchangeSimulator}: status, content type, body. */
@PublicEvolving
public record SimResponse(int status, String contentType, String body) {

    public static final String JSON = "application/json; charset=utf-8";

    public static SimResponse json(int status, String body) {
        return new SimResponse(status, JSON, body);
    }
}
