package io.chorus.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chorus.model.Env;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StorageFileConfigTest {
  @Test
  void fileDefaults() {
    StorageConfig config = StorageConfig.from(new Env(Map.of()));
    assertThat(config.filesDir()).isEqualTo("./data/files");
    assertThat(config.maxUploadBytes()).isEqualTo(25L * 1024 * 1024);
    assertThat(config.fileIdleMs()).isEqualTo(120_000);
    assertThat(config.maxConcurrentUploads()).isEqualTo(3);
    assertThat(config.userQuotaBytes()).isEqualTo(1024L * 1024 * 1024);
    assertThat(config.s3()).as("FILE_STORE=local").isNull();
    assertThat(new StorageConfig("postgresql://h/db", 2).filesDir()).isEqualTo("./data/files");
  }

  @Test
  void readsTheBucketSettingsWithFileStoreS3() {
    S3Settings s3 = StorageConfig.from(new Env(Map.of("FILE_STORE", "s3", "S3_ENDPOINT", "http://minio:9000",
        "S3_BUCKET", "chorus-files", "S3_PREFIX", "prod/", "S3_PATH_STYLE", "true",
        "AWS_ACCESS_KEY_ID", "AKIA1", "AWS_SECRET_ACCESS_KEY", "very-secret"))).s3();
    assertThat(s3.endpoint()).isEqualTo("http://minio:9000");
    assertThat(s3.region()).isEqualTo("us-east-1");
    assertThat(s3.bucket()).isEqualTo("chorus-files");
    assertThat(s3.pathStyle()).isTrue();
    assertThat(s3.key("f1")).isEqualTo("prod/f1");
    assertThat(s3.toString()).contains("AKIA1").doesNotContain("very-secret");

    S3Settings aws = StorageConfig.from(new Env(Map.of("FILE_STORE", "s3", "S3_BUCKET", "b", "S3_REGION",
        "eu-west-1", "AWS_PROFILE", "chorus"))).s3();
    assertThat(aws.endpoint()).isEmpty();
    assertThat(aws.region()).isEqualTo("eu-west-1");
    assertThat(aws.pathStyle()).isFalse();
    assertThat(aws.profile()).isEqualTo("chorus");
    assertThat(aws.key("f1")).isEqualTo("f1");
  }

  @Test
  void badBucketSettingsNameTheKey() {
    assertThatThrownBy(() -> StorageConfig.from(new Env(Map.of("FILE_STORE", "ftp"))))
        .hasMessageContaining("FILE_STORE");
    assertThatThrownBy(() -> StorageConfig.from(new Env(Map.of("FILE_STORE", "s3"))))
        .hasMessageContaining("S3_BUCKET");
    assertThatThrownBy(() -> StorageConfig.from(new Env(Map.of("FILE_STORE", "s3", "S3_BUCKET", "b",
        "S3_ENDPOINT", "minio:9000")))).hasMessageContaining("S3_ENDPOINT");
    assertThatThrownBy(() -> StorageConfig.from(new Env(Map.of("FILE_STORE", "s3", "S3_BUCKET", "b",
        "S3_PATH_STYLE", "yes")))).hasMessageContaining("S3_PATH_STYLE");
    assertThatThrownBy(() -> StorageConfig.from(new Env(Map.of("FILE_STORE", "s3", "S3_BUCKET", "b",
        "AWS_ACCESS_KEY_ID", "AKIA1")))).hasMessageContaining("AWS_SECRET_ACCESS_KEY");
  }

  @Test
  void readsTheFileSettings() {
    StorageConfig config = StorageConfig.from(new Env(Map.of(
        "FILES_DIR", "/srv/chorus/files", "MAX_UPLOAD_BYTES", "1048576", "FILE_SESSION_IDLE_MS", "5000",
        "MAX_CONCURRENT_UPLOADS_PER_USER", "7", "USER_QUOTA_BYTES", "0", "MAX_CONCURRENT_DOWNLOADS_PER_USER", "5")));
    assertThat(config.filesDir()).isEqualTo("/srv/chorus/files");
    assertThat(config.maxUploadBytes()).isEqualTo(1_048_576);
    assertThat(config.fileIdleMs()).isEqualTo(5000);
    assertThat(config.maxConcurrentUploads()).isEqualTo(7);
    assertThat(config.userQuotaBytes()).isZero();
    assertThat(config.maxConcurrentDownloads()).isEqualTo(5);
  }

  @Test
  void badFileSettingsNameTheKey() {
    assertThatThrownBy(() -> StorageConfig.from(new Env(Map.of("MAX_UPLOAD_BYTES", "lots"))))
        .hasMessageContaining("MAX_UPLOAD_BYTES");
    assertThatThrownBy(() -> StorageConfig.from(new Env(Map.of("FILE_SESSION_IDLE_MS", "5"))))
        .hasMessageContaining("FILE_SESSION_IDLE_MS");
    assertThatThrownBy(() -> StorageConfig.from(new Env(Map.of("MAX_CONCURRENT_UPLOADS_PER_USER", "0"))))
        .hasMessageContaining("MAX_CONCURRENT_UPLOADS_PER_USER");
    assertThatThrownBy(() -> StorageConfig.from(new Env(Map.of("USER_QUOTA_BYTES", "-1"))))
        .hasMessageContaining("USER_QUOTA_BYTES");
    assertThatThrownBy(() -> StorageConfig.from(new Env(Map.of("MAX_CONCURRENT_DOWNLOADS_PER_USER", "0"))))
        .hasMessageContaining("MAX_CONCURRENT_DOWNLOADS_PER_USER");
  }
}
