package io.chorus.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The verdicts of --check on made-up results: no run, no timing. */
class RegressionCheckTest {
  private static final JsonObject BASELINE = new JsonObject("""
      {"args": ["stream", "--streams", "100"],
       "scenarios": {"stream": {
         "tokensLost": {"max": 0},
         "tokenLatency.p99Ms": {"baseline": 4.0, "tolerance": 0.5},
         "tokensPerSecondRelayed": {"baseline": 6000, "tolerance": 0.1, "higherIsBetter": true},
         "servers.0.coresBusy": {"min": 0.01, "max": 0.4},
         "loadToolLag.lagged": {"equals": false}}}}""");

  private final RegressionCheck check = new RegressionCheck(BASELINE, "baseline.json");

  private static JsonObject result(double p99, long lost, double tokensPerSecond, double cores, boolean lagged) {
    return new JsonObject().put("tokensLost", lost).put("tokenLatency", new JsonObject().put("p99Ms", p99))
        .put("tokensPerSecondRelayed", tokensPerSecond)
        .put("servers", new JsonArray().add(new JsonObject().put("coresBusy", cores)))
        .put("loadToolLag", new JsonObject().put("lagged", lagged));
  }

  private static List<String> failed(List<RegressionCheck.Figure> figures) {
    return figures.stream().filter(f -> !f.passed()).map(RegressionCheck.Figure::name).toList();
  }

  @Test
  void aResultWithinEveryLimitPasses() {
    List<RegressionCheck.Figure> figures = check.judge("stream", result(5.9, 0, 5500, 0.3, false));
    assertThat(figures).hasSize(5);
    assertThat(failed(figures)).isEmpty();
    assertThat(check.toJson(figures).getBoolean("passed")).isTrue();
  }

  @Test
  void eachFigureBeyondItsLimitIsNamed() {
    List<RegressionCheck.Figure> figures = check.judge("stream", result(6.1, 3, 5399, 0.41, true));
    assertThat(failed(figures)).containsExactly("tokensLost", "tokenLatency.p99Ms", "tokensPerSecondRelayed",
        "servers.0.coresBusy", "loadToolLag.lagged");
    JsonObject json = check.toJson(figures);
    assertThat(json.getBoolean("passed")).isFalse();
    assertThat(json.getString("baseline")).isEqualTo("baseline.json");
    assertThat(figures.get(1).line()).isEqualTo("FAIL tokenLatency.p99Ms = 6.10 (limit: <= 6 = baseline 4 + 50%)");
  }

  @Test
  void aFigureMissingFromTheResultFails() {
    List<RegressionCheck.Figure> figures = check.judge("stream", new JsonObject().put("tokensLost", 0));
    assertThat(failed(figures)).containsExactly("tokenLatency.p99Ms", "tokensPerSecondRelayed",
        "servers.0.coresBusy", "loadToolLag.lagged");
    assertThat(figures.get(1).line()).contains("missing");
  }

  @Test
  void aScenarioWithoutRulesIsNotJudged() {
    assertThat(check.judge("fanout", new JsonObject())).isEmpty();
  }

  @Test
  void theBaselinesCommandLineIsRunUnlessTheCommandLineNamesAScenario() {
    assertThat(RegressionCheck.effectiveArgs(List.of("--check", "b.json", "--jar", "x.jar"), check.args()))
        .containsExactly("stream", "--streams", "100", "--check", "b.json", "--jar", "x.jar");
    assertThat(RegressionCheck.effectiveArgs(List.of("stream", "--streams", "8", "--check", "b.json"), check.args()))
        .containsExactly("stream", "--streams", "8", "--check", "b.json");
  }

  @Test
  void theCheckOptionIsParsedAndReported() {
    Options options = Options.parse("stream", "--check", "docs/bench-baseline.json");
    assertThat(options.check()).isEqualTo("docs/bench-baseline.json");
    assertThat(options.toJson().getString("check")).isEqualTo("docs/bench-baseline.json");
  }
}
