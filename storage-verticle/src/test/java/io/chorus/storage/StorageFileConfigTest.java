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
    assertThat(new StorageConfig("postgresql://h/db", 2).filesDir()).isEqualTo("./data/files");
  }

  @Test
  void readsTheFileSettings() {
    StorageConfig config = StorageConfig.from(new Env(Map.of(
        "FILES_DIR", "/srv/chorus/files", "MAX_UPLOAD_BYTES", "1048576", "FILE_SESSION_IDLE_MS", "5000",
        "MAX_CONCURRENT_UPLOADS_PER_USER", "7", "USER_QUOTA_BYTES", "0")));
    assertThat(config.filesDir()).isEqualTo("/srv/chorus/files");
    assertThat(config.maxUploadBytes()).isEqualTo(1_048_576);
    assertThat(config.fileIdleMs()).isEqualTo(5000);
    assertThat(config.maxConcurrentUploads()).isEqualTo(7);
    assertThat(config.userQuotaBytes()).isZero();
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
  }
}
