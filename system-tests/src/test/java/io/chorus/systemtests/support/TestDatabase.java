package io.chorus.systemtests.support;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.SqlClient;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A fresh database per test class on the PostgreSQL server of {@code TEST_PG_URI} (default the local
 * one); the storage service creates and migrates it on start, {@link #drop()} removes it.
 */
public final class TestDatabase {
  private final PgConnectOptions server;
  private final String name;

  private TestDatabase(PgConnectOptions server, String name) {
    this.server = server;
    this.name = name;
  }

  public static TestDatabase fresh() {
    String base = System.getenv().getOrDefault("TEST_PG_URI", "postgresql://postgres@127.0.0.1:5432/postgres");
    PgConnectOptions server = PgConnectOptions.fromUri(base);
    return new TestDatabase(server, "chorus_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12));
  }

  public String uri() {
    String user = server.getUser() == null ? "postgres" : server.getUser();
    return "postgresql://" + user + "@" + server.getHost() + ":" + server.getPort() + "/" + name;
  }

  public String name() {
    return name;
  }

  /** Runs one statement against this test database (for assertions on what is stored). */
  public long count(Vertx vertx, String sql) {
    SqlClient client = PgBuilder.client().connectingTo(new PgConnectOptions(server).setDatabase(name)).using(vertx).build();
    try {
      return Wait.on(client.query(sql).execute().map(rows -> rows.iterator().next().getLong(0)), 10);
    } finally {
      client.close();
    }
  }

  public void drop(Vertx vertx) {
    SqlClient client = PgBuilder.client().connectingTo(new PgConnectOptions(server).setDatabase("postgres"))
        .using(vertx).build();
    try {
      Wait.on(client.query("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)").execute(), 30);
    } finally {
      client.close();
    }
  }
}
