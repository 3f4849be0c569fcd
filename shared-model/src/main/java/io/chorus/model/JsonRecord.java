package io.chorus.model;

import io.vertx.core.json.JsonObject;

/** A message body that travels as JSON on the event bus; field names stay visible on the wire. */
public interface JsonRecord {
  JsonObject toJson();
}
