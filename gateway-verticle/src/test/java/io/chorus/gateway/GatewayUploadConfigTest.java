package io.chorus.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chorus.model.Env;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GatewayUploadConfigTest {
  private static final String SECRET = "0123456789abcdef0123456789abcdef";

  @Test
  void uploadDefaults() {
    GatewayConfig config = GatewayConfig.from(new Env(Map.of("JWT_SECRET", SECRET)));
    assertThat(config.maxUploadBytes()).isEqualTo(25L * 1024 * 1024);
    assertThat(config.uploadsPerMinute()).isEqualTo(30);
  }

  @Test
  void readsAndChecksTheUploadSettings() {
    GatewayConfig config = GatewayConfig.from(new Env(Map.of(
        "JWT_SECRET", SECRET, "MAX_UPLOAD_BYTES", "1000", "UPLOAD_RATE_PER_MINUTE", "5")));
    assertThat(config.maxUploadBytes()).isEqualTo(1000);
    assertThat(config.uploadsPerMinute()).isEqualTo(5);
    assertThatThrownBy(() -> GatewayConfig.from(new Env(Map.of("JWT_SECRET", SECRET, "UPLOAD_RATE_PER_MINUTE", "0"))))
        .hasMessageContaining("UPLOAD_RATE_PER_MINUTE");
  }

  @Test
  void theDevelopmentSecretOfTheComposeFileIsRefusedUnlessAllowedForLocalUse() {
    assertThatThrownBy(() -> GatewayConfig.from(new Env(Map.of("JWT_SECRET", GatewayConfig.DEV_JWT_SECRET))))
        .hasMessageContaining("development default").hasMessageContaining("ALLOW_DEV_JWT_SECRET");
    GatewayConfig local = GatewayConfig.from(new Env(Map.of(
        "JWT_SECRET", GatewayConfig.DEV_JWT_SECRET, "ALLOW_DEV_JWT_SECRET", "true")));
    assertThat(local.jwtSecret()).isEqualTo(GatewayConfig.DEV_JWT_SECRET);
  }

  @Test
  void theComposeFilesDefaultSecretIsTheOneRefused() throws Exception {
    String compose = java.nio.file.Files.readString(java.nio.file.Path.of("../docker-compose.yml"));
    assertThat(compose).contains("JWT_SECRET: ${JWT_SECRET:-" + GatewayConfig.DEV_JWT_SECRET + "}");
  }
}
