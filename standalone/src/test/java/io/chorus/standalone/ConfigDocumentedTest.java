package io.chorus.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.chat.ChatConfig;
import io.chorus.gateway.GatewayConfig;
import io.chorus.llm.LlmConfig;
import io.chorus.model.Env;
import io.chorus.model.cluster.ClusterSettings;
import io.chorus.model.ops.OpsSettings;
import io.chorus.storage.StorageConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README's configuration table is the operator's reference: every environment variable a config record
 * reads must be in it. The variables are not listed here by hand: each config record is built from an
 * environment that records what it is asked for, under the settings that take different branches.
 */
class ConfigDocumentedTest {
  private static final Path ROOT = Path.of("..");

  /** Every config record of the project, each built from one environment. */
  private static final Map<String, Consumer<Env>> CONFIG_RECORDS = Map.of(
      "GatewayConfig", GatewayConfig::from,
      "StorageConfig", StorageConfig::from,
      "ChatConfig", ChatConfig::from,
      "LlmConfig", LlmConfig::from,
      "ClusterSettings", env -> {
        ClusterSettings.from(env);
        ClusterSettings.standalone(env);
      },
      "OpsSettings", OpsSettings::from);

  /** Settings that make a config record read variables the defaults leave unread. */
  private static final List<Map<String, String>> VARIANTS = List.of(
      Map.of(),
      Map.of("LLM_PROVIDER", "openai", "LLM_API_KEY", "sk-test"),
      Map.of("LLM_PROVIDER", "anthropic", "LLM_API_KEY", "sk-ant-test"),
      Map.of("FILE_STORE", "s3", "S3_BUCKET", "chorus-files"));

  @Test
  void everyVariableAConfigRecordReadsIsInTheReadmeTable() throws IOException {
    Set<String> read = new TreeSet<>();
    for (Map<String, String> variant : VARIANTS) {
      Env env = new Env(new RecordingMap(variant, read));
      CONFIG_RECORDS.values().forEach(config -> config.accept(env));
    }
    assertThat(read).as("variables read").contains("HTTP_PORT", "PG_URI", "LLM_API_KEY", "CLUSTER_NAME");

    String table = configurationSection(Files.readString(ROOT.resolve("README.md")));
    Set<String> missing = new TreeSet<>();
    for (String variable : read) {
      if (!table.contains("`" + variable + "`")) {
        missing.add(variable);
      }
    }
    assertThat(missing).as("variables read by a config record but missing from README.md's Configuration table")
        .isEmpty();
  }

  /** A new config record (a {@code from(Env)} factory anywhere in the services) must be listed above. */
  @Test
  void everyConfigRecordIsChecked() throws IOException {
    Pattern factory = Pattern.compile("(?:record|class) (\\w+)[\\s\\S]*?public static \\w+ from\\(Env \\w+\\)");
    Set<String> declared = new TreeSet<>();
    try (Stream<Path> files = Files.walk(ROOT)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java") && f.toString().contains("src/main/java"))
          .toList()) {
        Matcher m = factory.matcher(Files.readString(file));
        if (m.find()) {
          declared.add(m.group(1));
        }
      }
    }
    assertThat(declared).isNotEmpty();
    assertThat(CONFIG_RECORDS.keySet()).containsAll(declared);
  }

  private static String configurationSection(String readme) {
    int start = readme.indexOf("\n## Configuration");
    assertThat(start).as("README.md has a Configuration section").isPositive();
    int end = readme.indexOf("\n## ", start + 1);
    return end < 0 ? readme.substring(start) : readme.substring(start, end);
  }

  /** An environment that remembers every variable asked for. */
  private static final class RecordingMap extends HashMap<String, String> {
    private final Set<String> read;

    RecordingMap(Map<String, String> values, Set<String> read) {
      super(values);
      this.read = read;
    }

    @Override
    public String get(Object key) {
      read.add((String) key);
      return super.get(key);
    }

    @Override
    public String getOrDefault(Object key, String defaultValue) {
      read.add((String) key);
      return super.getOrDefault(key, defaultValue);
    }
  }
}
