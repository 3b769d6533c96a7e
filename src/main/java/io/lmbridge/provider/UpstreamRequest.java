package io.lmbridge.provider;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/** One POST to a provider, built once per call and sent again as is when the call is retried. */
public record UpstreamRequest(String uri, MultiMap headers, Buffer body) {
}
