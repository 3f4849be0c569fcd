package io.chorus.gateway.http;

import io.chorus.model.ChorusException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Reads an HTTP request body as a JSON object, or fails with 400. */
public final class JsonBodies {
  private JsonBodies() {}

  public static JsonObject of(RoutingContext ctx) {
    try {
      Object parsed = ctx.body().asJsonObject();
      if (parsed == null) {
        throw ChorusException.badRequest("a JSON object body is required");
      }
      return (JsonObject) parsed;
    } catch (DecodeException | ClassCastException e) {
      throw ChorusException.badRequest("body must be a JSON object");
    }
  }
}
