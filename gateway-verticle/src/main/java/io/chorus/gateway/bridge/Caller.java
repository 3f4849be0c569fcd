package io.chorus.gateway.bridge;

import io.vertx.core.MultiMap;

/**
 * Who sent a bridged request, as stamped by {@link BridgeRules} from the socket's authenticated user.
 * Clients cannot forge it: the rules replace every header a client sends.
 */
public record Caller(String userId, String username) {
  static final String USER_ID = "x-chorus-user-id";
  static final String USERNAME = "x-chorus-username";

  public static Caller from(MultiMap headers) {
    return new Caller(headers.get(USER_ID), headers.get(USERNAME));
  }
}
