package io.chorus.model.ops;

import io.chorus.model.Env;

/**
 * Where a service without HTTP of its own serves {@code /metrics} and {@code /health/*}:
 * {@code OPS_PORT} (default 9090; 0 picks a free port, logged at start; -1 turns it off).
 */
public record OpsSettings(int port) {
  public static final int OFF = -1;

  public static OpsSettings from(Env env) {
    return new OpsSettings(env.integer("OPS_PORT", 9090, OFF, 65_535));
  }

  public boolean enabled() {
    return port != OFF;
  }
}
