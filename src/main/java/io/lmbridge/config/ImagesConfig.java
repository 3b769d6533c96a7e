package io.lmbridge.config;

/**
 * How the gateway fetches image URLs for providers that only take bytes.
 *
 * @param allowPrivateNetworks whether URLs may resolve to loopback, private or link-local addresses;
 *                             off by default, so a client cannot make the gateway probe its own network
 */
public record ImagesConfig(boolean allowPrivateNetworks, long maxBytes, int timeoutSeconds) {
}
