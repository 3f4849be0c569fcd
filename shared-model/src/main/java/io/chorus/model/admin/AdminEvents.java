package io.chorus.model.admin;

import io.vertx.core.json.JsonObject;

/**
 * The personal event a client gets before an operator's action closes its socket: {@code {type: "disconnected",
 * reason}} on {@code client.user.<id>}, then a close with 1008 and the same reason. A client shows the reason
 * and does not reconnect on its own (for "account suspended", reconnecting is refused anyway).
 */
public final class AdminEvents {
  public static final String DISCONNECTED = "disconnected";
  public static final String REASON_DISCONNECTED = "disconnected by an operator";
  public static final String REASON_SUSPENDED = "account suspended";

  private AdminEvents() {}

  public static JsonObject disconnected(String reason) {
    return new JsonObject().put("type", DISCONNECTED).put("reason", reason);
  }
}
