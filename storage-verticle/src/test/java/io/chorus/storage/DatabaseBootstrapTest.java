package io.chorus.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.pgclient.PgConnectOptions;
import org.junit.jupiter.api.Test;

class DatabaseBootstrapTest {
  @Test
  void jdbcUrlReachesTheSameDatabase() {
    assertThat(DatabaseBootstrap.jdbcUrl(PgConnectOptions.fromUri("postgresql://postgres@127.0.0.1:5432/chorus")))
        .isEqualTo("jdbc:postgresql://127.0.0.1:5432/chorus?sslmode=disable&ApplicationName=chorus-storage-migrations");
    assertThat(DatabaseBootstrap.jdbcUrl(PgConnectOptions.fromUri("postgresql://u@db:6543/x?sslmode=require")))
        .startsWith("jdbc:postgresql://db:6543/x?sslmode=require&");
  }

  @Test
  void quotesDatabaseNamesAsIdentifiers() {
    assertThat(DatabaseBootstrap.quoteIdentifier("chorus")).isEqualTo("\"chorus\"");
    assertThat(DatabaseBootstrap.quoteIdentifier("a\"; DROP")).isEqualTo("\"a\"\"; DROP\"");
  }
}
