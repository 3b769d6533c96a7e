package io.lmbridge.config;

/**
 * @param instances               ingress verticle instances; 0 means one per core
 * @param shutdownTimeoutSeconds  how long a graceful shutdown lets requests in flight finish
 */
public record ServerConfig(String host, int port, long maxBodyBytes, int instances, int shutdownTimeoutSeconds) {
}
