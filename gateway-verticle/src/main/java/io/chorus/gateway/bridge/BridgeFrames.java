package io.chorus.gateway.bridge;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import io.chorus.model.ErrorCode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.EncodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.JacksonCodec;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The bridge frames the gateway writes itself, in the shape the bridge writes its own (docs/protocol.md):
 * a {@code rec} delivery and an {@code err} with a failure code. Written as is, in UTF-8: no character is
 * escaped that JSON does not require.
 */
public final class BridgeFrames {
  /**
   * UTF-8 written as is, no character escaped that JSON does not require: by default Jackson writes a
   * character outside the BMP (an emoji) as two escapes, twelve bytes where UTF-8 takes four.
   */
  private static final JsonFactory FRAMES = JsonFactory.builder()
      .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8).build();

  private BridgeFrames() {}

  /**
   * {@code body} delivered on {@code address} (a room or personal event, or a reply), written straight into a
   * buffer: a room's event goes out this way at every chunk of every answer, and encoding a text first
   * (Jackson's string writer, the string, then its UTF-8 copy) made about 40 % of the allocation samples of the
   * thread that fans rooms out (docs/benchmarks.md).
   */
  static Buffer recFrame(String address, Object body) {
    Buffer frame = Buffer.buffer(128 + address.length());
    try (JsonGenerator json = FRAMES.createGenerator(new AppendTo(frame))) {
      json.writeStartObject();
      json.writeStringField("type", "rec");
      json.writeStringField("address", address);
      json.writeFieldName("body");
      JacksonCodec.encodeJson(body, json);
      json.writeEndObject();
    } catch (IOException e) {
      throw new EncodeException("a frame could not be encoded: " + e.getMessage());
    }
    return frame;
  }

  /** What Jackson writes, appended to a Vert.x buffer (in one call for a frame under Jackson's 8 KB). */
  private static final class AppendTo extends OutputStream {
    private final Buffer buffer;

    AppendTo(Buffer buffer) {
      this.buffer = buffer;
    }

    @Override
    public void write(int b) {
      buffer.appendByte((byte) b);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
      buffer.appendBytes(bytes, offset, length);
    }
  }

  /** {@link #recFrame} as text, for a socket written a string (personal notices). */
  static String rec(String address, Object body) {
    return recFrame(address, body).toString(StandardCharsets.UTF_8);
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
