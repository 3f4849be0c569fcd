package io.chorus.gateway.files;

import io.chorus.gateway.ClusterClient;
import io.chorus.model.files.BeginUpload;
import io.chorus.model.files.CommitUpload;
import io.chorus.model.files.DownloadTicket;
import io.chorus.model.files.FileAddresses;
import io.chorus.model.files.FileInfo;
import io.chorus.model.files.FileRef;
import io.chorus.model.files.FileTransfer;
import io.chorus.model.files.OpenDownload;
import io.chorus.model.files.UploadResult;
import io.chorus.model.files.UploadTicket;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's client of the storage file addresses ({@link FileAddresses}, {@link FileTransfer}), through
 * {@link ClusterClient}: every outcome comes back on the edge context that asked.
 */
public final class StorageFiles {
  private static final Logger log = LoggerFactory.getLogger(StorageFiles.class);

  private final ClusterClient cluster;

  StorageFiles(ClusterClient cluster) {
    this.cluster = cluster;
  }

  Future<UploadTicket> begin(BeginUpload request) {
    return cluster.request(FileAddresses.STORAGE_FILE_BEGIN, request);
  }

  /** Completes when storage has written the chunk: the signal to read on. */
  Future<Void> chunk(UploadTicket ticket, Buffer chunk) {
    return cluster.transfer(ticket.address(), ticket.uploadId(), FileTransfer.CHUNK, chunk).mapEmpty();
  }

  Future<UploadResult> commit(UploadTicket ticket, CommitUpload commit) {
    return cluster.transfer(ticket.address(), ticket.uploadId(), FileTransfer.COMMIT, commit.toJson())
        .map(body -> UploadResult.fromJson((JsonObject) body));
  }

  /** Best effort: if storage does not hear it, its idle timeout drops the upload anyway. */
  void abort(UploadTicket ticket) {
    cluster.transfer(ticket.address(), ticket.uploadId(), FileTransfer.ABORT, null)
        .onFailure(err -> log.debug("abort of upload {} not confirmed: {}", ticket.uploadId(), err.getMessage()));
  }

  public Future<FileInfo> get(FileRef request) {
    return cluster.request(FileAddresses.STORAGE_FILE_GET, request);
  }

  public Future<DownloadTicket> open(OpenDownload request) {
    return cluster.request(FileAddresses.STORAGE_FILE_OPEN, request);
  }

  public Future<Buffer> read(DownloadTicket ticket) {
    return cluster.transfer(ticket.address(), ticket.downloadId(), FileTransfer.READ, null).map(body -> (Buffer) body);
  }

  /** Best effort, like {@link #abort}. */
  public void close(DownloadTicket ticket) {
    cluster.transfer(ticket.address(), ticket.downloadId(), FileTransfer.CLOSE, null)
        .onFailure(err -> log.debug("close of download {} not confirmed: {}", ticket.downloadId(), err.getMessage()));
  }
}
