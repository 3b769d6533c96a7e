package io.lmbridge.node;

import io.lmbridge.config.ConfigSources;

import java.util.Set;

/** How to start a node: where its configuration comes from and which roles it plays. */
public record NodeSettings(ConfigSources sources, Set<Role> roles) {

  public NodeSettings {
    roles = Set.copyOf(roles);
  }
}
