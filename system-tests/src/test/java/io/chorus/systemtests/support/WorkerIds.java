package io.chorus.systemtests.support;

import io.chorus.fixtures.Wait;
import io.chorus.model.streams.SharedDataStreamRegistry;
import io.chorus.model.streams.StreamState;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Which LLM worker is which: a worker process's id from its log, a stream's owner from the registry. */
public final class WorkerIds {
  private static final Pattern WORKER_ID = Pattern.compile("LLM worker ([0-9a-f-]{36}) listening");

  private WorkerIds() {}

  public static String of(ServiceProcess worker) {
    Matcher m = WORKER_ID.matcher(worker.output());
    if (!m.find()) {
      throw new AssertionError("no worker id in the log of " + worker);
    }
    return m.group(1);
  }

  /** The worker generating the stream, or null once it has ended. */
  public static String owner(ClusterHarness cluster, String streamId) {
    StreamState state = Wait.on(new SharedDataStreamRegistry(cluster.nodeA).get(streamId), 10);
    return state == null ? null : state.workerId();
  }
}
