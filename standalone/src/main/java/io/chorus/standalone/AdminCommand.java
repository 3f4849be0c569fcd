package io.chorus.standalone;

import io.chorus.model.Env;
import io.chorus.storage.AdminTool;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code ./chorus admin grant|revoke <username>} on the database {@code ./chorus up} uses: {@code PG_URI}, else
 * the server on 127.0.0.1:5432, else the embedded one (the running one's port when {@code ./chorus up} has it
 * open, else started here for the change and stopped after it). See {@link AdminTool}.
 */
public final class AdminCommand {
  private AdminCommand() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> values = new HashMap<>(System.getenv());
    String uri = values.get("PG_URI");
    if ((uri == null || uri.isBlank()) && !EmbeddedDatabase.answers("127.0.0.1", 5432)
        && EmbeddedDatabase.answers("127.0.0.1", EmbeddedDatabase.EMBEDDED_PORT)) {
      uri = "postgresql://postgres@127.0.0.1:" + EmbeddedDatabase.EMBEDDED_PORT + "/chorus";
    }
    values.put("PG_URI", EmbeddedDatabase.resolve(uri));
    int status = AdminTool.run(new Env(values), args, System.out, System.err);
    System.exit(status); // runs the embedded server's stop hook
  }
}
