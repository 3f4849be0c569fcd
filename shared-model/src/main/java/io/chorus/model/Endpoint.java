package io.chorus.model;

import io.vertx.core.json.JsonObject;
import java.util.function.Function;

/**
 * An event-bus request/reply address with the records that travel on it. Every internal address is
 * declared once as an {@code Endpoint} in {@link Addresses}; {@link Bus} sends and consumes them.
 */
public record Endpoint<Q extends JsonRecord, R extends JsonRecord>(
    String address, Function<JsonObject, Q> requestDecoder, Function<JsonObject, R> replyDecoder) {

  public static <Q extends JsonRecord, R extends JsonRecord> Endpoint<Q, R> of(
      String address, Function<JsonObject, Q> requestDecoder, Function<JsonObject, R> replyDecoder) {
    return new Endpoint<>(address, requestDecoder, replyDecoder);
  }
}
