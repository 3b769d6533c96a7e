package io.lmbridge.node;

import io.lmbridge.ingress.InFlightRequests;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * What this node is, for the status endpoint.
 *
 * @param members  the cluster's member ids now; a single id when not clustered
 * @param inFlight chat requests being answered by this node's ingress
 */
public record NodeInfo(String nodeId, String version, Instant startedAt, Set<Role> roles, boolean clustered,
                       Supplier<List<String>> members, InFlightRequests inFlight) {
}
