package io.chorus.model.files;

import io.chorus.model.Bus;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;

/**
 * The wire of a storage node's transfer address ({@link FileAddresses#transfer}): every message names
 * its transfer in {@link #SESSION} and what to do in {@link #ACTION}. Bodies: a {@code Buffer} for
 * {@link #CHUNK} (reply empty; an empty chunk only says the upload is still alive), a {@link CommitUpload}
 * for {@link #COMMIT} (reply {@link UploadResult}), nothing for {@link #READ} (reply the next
 * {@code Buffer}), {@link #ABORT} and {@link #CLOSE} (reply empty). Failures carry the contract codes, like
 * every other address.
 */
public final class FileTransfer {
  public static final String SESSION = "x-chorus-transfer";
  public static final String ACTION = "x-chorus-action";

  public static final String CHUNK = "chunk";
  public static final String COMMIT = "commit";
  public static final String ABORT = "abort";
  public static final String READ = "read";
  public static final String CLOSE = "close";

  /** A chunk may wait behind a slow disk; still short enough to notice a storage node that died. */
  public static final long TIMEOUT_MS = 30_000;

  private FileTransfer() {}

  /** Sends one transfer message and maps a failure to the contract codes, as {@link Bus#request} does. */
  public static <T> Future<Message<T>> request(EventBus bus, String address, String session, String action,
      Object body) {
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(TIMEOUT_MS)
        .addHeader(SESSION, session).addHeader(ACTION, action);
    return bus.<T>request(address, body, options)
        .recover(err -> Future.failedFuture(Bus.toChorus(err, address + " " + action)));
  }
}
