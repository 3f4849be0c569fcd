package io.chorus.model.files;

import io.chorus.model.Endpoint;

/**
 * The storage service's file addresses, declared once (the rest are in {@code Addresses}).
 *
 * <p>Bytes never travel in one message: an upload is {@link #STORAGE_FILE_BEGIN} (membership checked,
 * a temp file opened) and then chunks, one request each, on the transfer address of the storage node that
 * holds the upload ({@link #transfer}); the reply to a chunk lets the next one go, so at most one chunk
 * per transfer is in flight. A download is {@link #STORAGE_FILE_GET} (metadata, membership) and
 * {@link #STORAGE_FILE_OPEN}, then {@code read} requests on the transfer address, each answered with the
 * next chunk. {@link FileTransfer} names the headers and actions of the transfer address.
 */
public final class FileAddresses {
  private FileAddresses() {}

  /** Largest chunk on the bus, either way: a bounded amount of memory per transfer on each side. */
  public static final int CHUNK_BYTES = 256 * 1024;

  /** Starts an upload for a member (403 not a member, 404 unknown conversation). */
  public static final Endpoint<BeginUpload, UploadTicket> STORAGE_FILE_BEGIN =
      Endpoint.of("storage.file.begin", BeginUpload::fromJson, UploadTicket::fromJson);
  /** A stored file's metadata for a member of its conversation (403; 404 unknown file). */
  public static final Endpoint<FileRef, FileInfo> STORAGE_FILE_GET =
      Endpoint.of("storage.file.get", FileRef::fromJson, FileInfo::fromJson);
  /** Opens a byte range of a stored file for reading, for a member (403/404; 400 for a bad range). */
  public static final Endpoint<OpenDownload, DownloadTicket> STORAGE_FILE_OPEN =
      Endpoint.of("storage.file.open", OpenDownload::fromJson, DownloadTicket::fromJson);

  /**
   * One storage verticle's address for the chunks of the transfers it holds: one cluster registration
   * per storage verticle, not one per transfer.
   */
  public static String transfer(String nodeId) {
    return "storage.transfer." + nodeId;
  }

  /** Where clients download a file; also the {@code url} of {@code file_uploaded}. */
  public static String url(String fileId) {
    return "/api/files/" + fileId;
  }
}
