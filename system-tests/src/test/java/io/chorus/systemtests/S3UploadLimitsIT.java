package io.chorus.systemtests;

/** {@link UploadLimitsIT} with {@code FILE_STORE=s3}: the upload limits, with the bytes in moto's S3 server. */
class S3UploadLimitsIT extends UploadLimitsIT {
  @Override
  protected boolean filesInBucket() {
    return true;
  }
}
