package io.chorus.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code --check FILE}: judges a scenario's result against a baseline file, so a regression fails the run
 * with a message naming the figure instead of waiting for someone to compare numbers by eye. The file:
 * <pre>
 * {"about": "...", "args": ["stream", "--streams", "100", ...],
 *  "scenarios": {"stream": {
 *     "tokensLost": {"max": 0},
 *     "tokenLatency.p99Ms": {"baseline": 4.0, "tolerance": 0.5},
 *     "tokensPerSecondRelayed": {"baseline": 5850, "tolerance": 0.05, "higherIsBetter": true},
 *     "loadToolLag.lagged": {"equals": false}}}}
 * </pre>
 * A figure is a path into the scenario's JSON result (dots between names, numbers index arrays:
 * {@code servers.0.coresBusy}). A rule is an absolute {@code max}, {@code min} or {@code equals}, or a
 * {@code baseline} with a relative {@code tolerance}: lower is better unless {@code higherIsBetter}, so the
 * limit is baseline x (1 + tolerance), or x (1 - tolerance). {@code args} are the command line the baseline
 * was measured with: {@code ./chorus bench --check FILE} alone runs them.
 */
final class RegressionCheck {
  private final JsonObject baseline;
  private final String source;

  RegressionCheck(JsonObject baseline, String source) {
    this.baseline = baseline;
    this.source = source;
  }

  /** One figure judged: its value (null when the result lacks it), the limit as text, and the verdict. */
  record Figure(String name, Object value, String limit, boolean passed) {
    JsonObject toJson() {
      return new JsonObject().put("figure", name).put("value", value).put("limit", limit).put("passed", passed);
    }

    String line() {
      return String.format(Locale.ROOT, "%s %s = %s (limit: %s)", passed ? "ok  " : "FAIL", name,
          value == null ? "missing" : format(value), limit);
    }
  }

  /** The command line the baseline was measured with, or an empty list when it names none. */
  List<String> args() {
    JsonArray args = baseline.getJsonArray("args");
    List<String> list = new ArrayList<>();
    if (args != null) {
      args.forEach(a -> list.add(String.valueOf(a)));
    }
    return list;
  }

  /**
   * The arguments to run: the baseline's followed by the command line's (a later option wins) when the
   * command line names no scenario; the command line alone when it does.
   */
  static List<String> effectiveArgs(List<String> commandLine, List<String> baselineArgs) {
    boolean namesScenario = commandLine.stream().anyMatch(a -> a.equals("all") || Options.ALL.contains(a));
    if (namesScenario || baselineArgs.isEmpty()) {
      return commandLine;
    }
    List<String> merged = new ArrayList<>(baselineArgs);
    merged.addAll(commandLine);
    return merged;
  }

  /** The figures of {@code scenario}'s result judged against the baseline; empty when it has none for it. */
  List<Figure> judge(String scenario, JsonObject result) {
    JsonObject rules = baseline.getJsonObject("scenarios", new JsonObject()).getJsonObject(scenario);
    List<Figure> figures = new ArrayList<>();
    if (rules == null) {
      return figures;
    }
    for (String name : rules.fieldNames()) {
      figures.add(judgeOne(name, rules.getJsonObject(name), figure(result, name)));
    }
    return figures;
  }

  /** The verdict of a scenario as JSON for the report: {baseline, passed, figures}. */
  JsonObject toJson(List<Figure> figures) {
    JsonArray list = new JsonArray();
    figures.forEach(f -> list.add(f.toJson()));
    return new JsonObject().put("baseline", source).put("passed", figures.stream().allMatch(Figure::passed))
        .put("figures", list);
  }

  static Figure judgeOne(String name, JsonObject rule, Object value) {
    if (rule.containsKey("equals")) {
      Object expected = rule.getValue("equals");
      boolean same = value != null && (value instanceof Number n && expected instanceof Number e
          ? n.doubleValue() == e.doubleValue() : value.equals(expected));
      return new Figure(name, value, "= " + format(expected), same);
    }
    if (!(value instanceof Number number)) {
      return new Figure(name, value, describe(rule), false);
    }
    double v = number.doubleValue();
    if (rule.containsKey("max") || rule.containsKey("min")) {
      boolean ok = (!rule.containsKey("max") || v <= rule.getDouble("max"))
          && (!rule.containsKey("min") || v >= rule.getDouble("min"));
      return new Figure(name, value, describe(rule), ok);
    }
    double base = rule.getDouble("baseline");
    double tolerance = rule.getDouble("tolerance", 0.0);
    boolean higherIsBetter = rule.getBoolean("higherIsBetter", false);
    double limit = higherIsBetter ? base * (1 - tolerance) : base * (1 + tolerance);
    boolean ok = higherIsBetter ? v >= limit : v <= limit;
    return new Figure(name, value, describe(rule), ok);
  }

  private static String describe(JsonObject rule) {
    if (rule.containsKey("max") || rule.containsKey("min")) {
      return (rule.containsKey("min") ? ">= " + format(rule.getValue("min")) : "")
          + (rule.containsKey("min") && rule.containsKey("max") ? " and " : "")
          + (rule.containsKey("max") ? "<= " + format(rule.getValue("max")) : "");
    }
    if (!rule.containsKey("baseline")) {
      throw new IllegalArgumentException("a rule needs max, min, equals or baseline: " + rule.encode());
    }
    double base = rule.getDouble("baseline");
    double tolerance = rule.getDouble("tolerance", 0.0);
    boolean higherIsBetter = rule.getBoolean("higherIsBetter", false);
    double limit = higherIsBetter ? base * (1 - tolerance) : base * (1 + tolerance);
    return String.format(Locale.ROOT, "%s %s = baseline %s %s %.0f%%", higherIsBetter ? ">=" : "<=", format(limit),
        format(base), higherIsBetter ? "-" : "+", tolerance * 100);
  }

  /** The value at a dotted path ({@code servers.0.coresBusy}), or null when the result has none there. */
  static Object figure(JsonObject result, String path) {
    Object at = result;
    for (String part : path.split("\\.")) {
      if (at instanceof JsonObject object) {
        at = object.getValue(part);
      } else if (at instanceof JsonArray array && part.chars().allMatch(Character::isDigit)) {
        int i = Integer.parseInt(part);
        at = i < array.size() ? array.getValue(i) : null;
      } else {
        return null;
      }
    }
    return at;
  }

  private static String format(Object value) {
    if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : String.format(Locale.ROOT, "%.2f", d);
    }
    return String.valueOf(value);
  }
}
