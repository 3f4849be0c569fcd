package io.chorus.storage;

import io.chorus.model.Bus;
import io.chorus.model.ChorusException;
import io.chorus.model.Fields;
import io.chorus.model.files.CommitUpload;
import io.chorus.model.files.FileTransfer;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;

/**
 * The consumer of this storage verticle's transfer address ({@code storage.transfer.<nodeId>}): reads
 * the transfer id and action from the headers ({@link FileTransfer}) and hands the message to
 * {@link FileUploads} or {@link FileDownloads}; {@link Bus#serve} replies with the result or the contract's
 * failure code.
 */
final class TransferEndpoint {
  private TransferEndpoint() {}

  static MessageConsumer<Object> register(EventBus bus, String address, FileUploads uploads, FileDownloads downloads) {
    return Bus.serve(bus, address, message -> dispatch(message, uploads, downloads));
  }

  private static Future<?> dispatch(Message<Object> message, FileUploads uploads, FileDownloads downloads) {
    String session = message.headers().get(FileTransfer.SESSION);
    String action = message.headers().get(FileTransfer.ACTION);
    if (session == null || action == null) {
      throw ChorusException.badRequest("a transfer message needs its session and action headers");
    }
    return switch (action) {
      case FileTransfer.CHUNK -> uploads.chunk(session, chunk(message.body()));
      case FileTransfer.COMMIT -> uploads.commit(session, CommitUpload.fromJson(Fields.object(message.body())));
      case FileTransfer.ABORT -> uploads.abort(session);
      case FileTransfer.READ -> downloads.read(session);
      case FileTransfer.CLOSE -> downloads.close(session);
      default -> throw ChorusException.badRequest("unknown transfer action " + action);
    };
  }

  private static Buffer chunk(Object body) {
    if (body instanceof Buffer buffer) {
      return buffer;
    }
    throw ChorusException.badRequest("a chunk must be a Buffer");
  }
}
