package io.chorus.systemtests;

/** {@link FilesIT} with {@code FILE_STORE=s3}: the files contract, with the bytes in moto's S3 server. */
class S3FilesIT extends FilesIT {
  /** S3's smallest part: what storage gathers of each upload before it sends it to the bucket. */
  private static final long PART = 5 * 1024 * 1024;

  @Override
  protected boolean filesInBucket() {
    return true;
  }

  /** Each upload in progress may hold one part, and the one in flight is held until the bucket has it. */
  @Override
  protected long heapBound(int uploads) {
    return super.heapBound(uploads) + uploads * PART;
  }
}
