package io.chorus.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The committed idle baseline tells the code it was measured with from the code before it: the figures of both
 * runs (docs/bench-idle-baseline.json, "about") judged against it. A limit loosened past the old code's figures,
 * or tightened past the new code's, fails here.
 */
class IdleBaselineTest {
  private static final Path BASELINE = Path.of("..", "docs", "bench-idle-baseline.json");

  private static RegressionCheck check() throws Exception {
    return new RegressionCheck(new JsonObject(Files.readString(BASELINE)), BASELINE.toString());
  }

  private static JsonObject idle(double heapBytes, double rssBytes) {
    return new JsonObject().put("failedConnects", 0).put("closedDuringHold", 0)
        .put("heapBytesPerConnection", heapBytes).put("rssBytesPerConnection", rssBytes);
  }

  private static List<String> failed(List<RegressionCheck.Figure> figures) {
    return figures.stream().filter(f -> !f.passed()).map(RegressionCheck.Figure::name).toList();
  }

  @Test
  void theRunsItWasMeasuredFromPass() throws Exception {
    assertThat(failed(check().judge("idle", idle(16_779, 16_632)))).isEmpty();
    assertThat(failed(check().judge("idle", idle(16_806, 17_977)))).isEmpty();
  }

  @Test
  void theCodeBeforeStrictThreadModeFailsOnHeapAndRss() throws Exception {
    assertThat(failed(check().judge("idle", idle(22_011, 25_673))))
        .containsExactly("heapBytesPerConnection", "rssBytesPerConnection");
  }

  @Test
  void itRunsTheIdleScenarioItWasMeasuredWith() throws Exception {
    JsonObject baseline = new JsonObject(Files.readString(BASELINE));
    assertThat(RegressionCheck.effectiveArgs(List.of(),
        baseline.getJsonArray("args").stream().map(String::valueOf).toList()))
        .containsExactly("idle", "--connections", "10000", "--idle-users", "100", "--hold", "10");
  }
}
