package io.chorus.storage;

import io.chorus.model.Env;
import io.chorus.model.admin.AuditEntry;
import io.chorus.model.storage.UserInfo;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.io.PrintStream;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./chorus admin grant|revoke <username>}: makes a user an admin, or no longer one, straight in the
 * database at {@code PG_URI} (migrated first, so it works before any service has started). No cluster is joined.
 * A grant counts from the user's next login (the role travels in the token), a revoke from their next admin call
 * (the gateway checks the role is still held); either is written to the audit with
 * no actor. Exit status: 0 done, 1 failed (no such user, database unreachable), 2 wrong usage.
 */
public final class AdminTool {
  static final String USAGE = "usage: ./chorus admin grant|revoke <username>";

  private AdminTool() {}

  public static void main(String[] args) {
    System.exit(run(Env.system(), args, System.out, System.err));
  }

  /** The exit status; what it did goes to {@code out}, a failure to {@code err}. */
  public static int run(Env env, String[] args, PrintStream out, PrintStream err) {
    if (args.length != 2 || !(args[0].equals("grant") || args[0].equals("revoke"))) {
      err.println(USAGE);
      return 2;
    }
    boolean grant = args[0].equals("grant");
    String username = args[1];
    StorageConfig config;
    try {
      config = StorageConfig.from(env);
    } catch (IllegalArgumentException e) {
      err.println("admin: " + e.getMessage());
      return 2;
    }
    Vertx vertx = Vertx.vertx();
    try {
      Future<UserInfo> done = DatabaseBootstrap.prepare(vertx, config).compose(v -> {
        Pool pool = config.newPool(vertx);
        AdminRepository admin = new AdminRepository(pool);
        return (grant ? admin.grant(username) : admin.revoke(username))
            .compose(user -> admin.audit(new AuditEntry(null, grant ? "admin.grant" : "admin.revoke", user.userId(),
                new JsonObject().put("username", user.username()).put("by", "command line"))).map(user))
            .eventually(pool::close);
      });
      UserInfo user = done.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      out.println(grant
          ? user.username() + " is an admin from their next login"
          : user.username() + " is no longer an admin (from their next admin call) unless ADMIN_USERS names them");
      return 0;
    } catch (Exception e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      err.println("admin: " + cause.getMessage());
      return 1;
    } finally {
      vertx.close();
    }
  }
}
