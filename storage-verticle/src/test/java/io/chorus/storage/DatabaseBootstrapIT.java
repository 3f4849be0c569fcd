package io.chorus.storage;

import static io.chorus.storage.StorageFixtures.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.fixtures.TestDatabase;
import io.chorus.model.storage.CreateUser;
import io.chorus.model.storage.FindUser;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Several storage nodes starting at once on a server without the database: one creates it, all succeed. */
class DatabaseBootstrapIT {
  private static final TestDatabase db = TestDatabase.fresh();
  private static final List<Vertx> nodes = new ArrayList<>();

  @BeforeAll
  static void setUp() {
    for (int i = 0; i < 4; i++) {
      nodes.add(Vertx.vertx());
    }
  }

  @AfterAll
  static void tearDown() throws Exception {
    nodes.forEach(vertx -> await(vertx.close()));
    db.drop();
  }

  @Test
  void concurrentBootstrapsCreateAndMigrateOnce() {
    List<Future<Void>> starts = nodes.stream().map(vertx -> DatabaseBootstrap.prepare(vertx, StorageFixtures.config(db))).toList();
    await(Future.all(starts));

    Pool pool = StorageFixtures.config(db).newPool(nodes.get(0));
    try {
      UserRepository users = new UserRepository(pool);
      await(users.createUser(new CreateUser("first", "h")));
      assertThat(await(users.findUser(new FindUser("first"))).username()).isEqualTo("first");
    } finally {
      await(pool.close());
    }
  }
}
