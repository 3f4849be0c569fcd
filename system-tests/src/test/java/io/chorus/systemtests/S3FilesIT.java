package io.chorus.systemtests;

/** {@link FilesIT} with {@code FILE_STORE=s3}: the files contract, with the bytes in moto's S3 server. */
class S3FilesIT extends FilesIT {
  @Override
  protected boolean filesInBucket() {
    return true;
  }
}
