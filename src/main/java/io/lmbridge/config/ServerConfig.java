package io.lmbridge.config;

/** @param instances ingress verticle instances; 0 means one per core */
public record ServerConfig(String host, int port, long maxBodyBytes, int instances) {
}
