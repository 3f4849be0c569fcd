package io.chorus.gateway.bridge;

import io.chorus.model.ErrorCode;
import io.vertx.core.json.JsonObject;

/**
 * The bridge frames the gateway writes itself, in the shape the bridge writes its own (docs/protocol.md):
 * a {@code rec} delivery and an {@code err} with a failure code. Encoded as is, in UTF-8: a
 * {@code toBuffer()} would escape every non-ASCII character (twelve bytes an emoji, not four).
 */
public final class BridgeFrames {
  private BridgeFrames() {}

  /** {@code body} delivered on {@code address}: a room or personal event, or a reply. */
  static String rec(String address, Object body) {
    return new JsonObject().put("type", "rec").put("address", address).put("body", body).encode();
  }

  /**
   * A failure with the contract's code, to {@code address} (the request's reply address, or the address a
   * register named); without one when the frame had none.
   */
  static String err(String address, ErrorCode code, String message) {
    JsonObject err = new JsonObject().put("type", "err");
    if (address != null) {
      err.put("address", address);
    }
    return err.put("failureCode", code.code()).put("failureType", "RECIPIENT_FAILURE").put("message", message)
        .encode();
  }
}
