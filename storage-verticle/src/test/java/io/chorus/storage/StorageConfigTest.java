package io.chorus.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chorus.model.Env;
import io.vertx.pgclient.PgConnectOptions;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StorageConfigTest {
  @Test
  void defaults() {
    StorageConfig config = StorageConfig.from(new Env(Map.of()));
    assertThat(config.pgUri()).isEqualTo("postgresql://postgres@127.0.0.1:5432/chorus");
    assertThat(config.poolSize()).isEqualTo(8);
    PgConnectOptions options = config.connectOptions();
    assertThat(options.getHost()).isEqualTo("127.0.0.1");
    assertThat(options.getPort()).isEqualTo(5432);
    assertThat(options.getDatabase()).isEqualTo("chorus");
    assertThat(options.getUser()).isEqualTo("postgres");
    assertThat(config.poolOptions().getMaxSize()).isEqualTo(8);
    assertThat(config.poolOptions().getMaxWaitQueueSize()).isEqualTo(StorageConfig.DEFAULT_POOL_QUEUE);
  }

  @Test
  void readsTheEnvironment() {
    StorageConfig config = StorageConfig.from(new Env(Map.of(
        "PG_URI", "postgresql://chorus:secret@db.internal:6543/chat", "PG_POOL_SIZE", "20", "PG_POOL_QUEUE", "50")));
    assertThat(config.poolSize()).isEqualTo(20);
    assertThat(config.poolOptions().getMaxWaitQueueSize()).isEqualTo(50);
    assertThat(config.connectOptions().getDatabase()).isEqualTo("chat");
    assertThat(config.connectOptions().getPassword()).isEqualTo("secret");
  }

  @Test
  void badPoolSizeNamesTheKey() {
    assertThatThrownBy(() -> StorageConfig.from(new Env(Map.of("PG_POOL_SIZE", "many"))))
        .hasMessageContaining("PG_POOL_SIZE");
    assertThatThrownBy(() -> StorageConfig.from(new Env(Map.of("PG_POOL_SIZE", "0"))))
        .hasMessageContaining("PG_POOL_SIZE");
    assertThatThrownBy(() -> new StorageConfig("postgresql://h/db", 0)).hasMessageContaining("PG_POOL_SIZE");
    assertThatThrownBy(() -> StorageConfig.from(new Env(Map.of("PG_POOL_QUEUE", "0"))))
        .hasMessageContaining("PG_POOL_QUEUE");
  }

  @Test
  void badUriNamesTheKeyAndHidesThePassword() {
    assertThatThrownBy(() -> StorageConfig.from(new Env(Map.of("PG_URI", "mysql://root:hunter2@h/db"))))
        .hasMessageContaining("PG_URI")
        .hasMessageNotContaining("hunter2");
  }
}
