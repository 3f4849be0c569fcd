package io.chorus.model.assistants;

import io.chorus.model.ChorusException;
import io.chorus.model.Env;
import io.chorus.model.storage.HistoryQuery;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The assistants of a deployment, in the file's order (the first is the default for new conversations).
 * Read by every service that needs them from the same {@code ASSISTANTS_FILE} (JSON, or YAML when the name
 * ends in {@code .yaml}/{@code .yml}): the gateway lists and validates them, chat routes questions by them,
 * LLM workers serve them. Without a file there is one profile, {@code default}, from the {@code LLM_*}
 * variables, so a deployment without the file behaves as before. A bad file stops start-up with a message
 * naming the profile and the field.
 */
public final class AssistantCatalog {
  /** Ids go into event-bus addresses and metric labels. */
  private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,39}");
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Set<String> FIELDS = Set.of("id", "name", "description", "provider", "baseUrl", "model",
      "apiKeyEnv", "systemPrompt", "temperature", "maxTokens", "contextMessages", "concurrentRequests",
      "requestsPerMinute", "tokensPerMinute");
  private static final int MAX_PROFILES = 100;

  private final Map<String, AssistantProfile> byId;

  public AssistantCatalog(List<AssistantProfile> profiles) {
    if (profiles.isEmpty()) {
      throw new IllegalArgumentException("at least one assistant profile is needed");
    }
    Map<String, AssistantProfile> map = new LinkedHashMap<>();
    profiles.forEach(p -> map.put(p.id(), p));
    this.byId = map;
  }

  /** {@code ASSISTANTS_FILE} when set, else the one {@code default} profile from {@code LLM_*}. */
  public static AssistantCatalog read(Env env) {
    String file = env.string("ASSISTANTS_FILE", null);
    if (file == null) {
      return new AssistantCatalog(List.of(defaultProfile(env)));
    }
    String text;
    try {
      text = Files.readString(Path.of(file));
    } catch (IOException e) {
      throw new IllegalArgumentException("ASSISTANTS_FILE " + file + " cannot be read: " + e.getMessage());
    }
    String lower = file.toLowerCase(Locale.ROOT);
    return parse(text, lower.endsWith(".yaml") || lower.endsWith(".yml"), "ASSISTANTS_FILE " + file);
  }

  /** The profile of a deployment without a file: today's {@code LLM_*} settings. */
  public static AssistantProfile defaultProfile(Env env) {
    String provider = env.string("LLM_PROVIDER", AssistantProfile.DEMO).toLowerCase(Locale.ROOT);
    return new AssistantProfile(AssistantProfile.DEFAULT_ID, "Assistant", "The assistant of this deployment",
        provider, env.string("LLM_BASE_URL", null),
        env.string("LLM_MODEL", AssistantProfile.defaultModel(provider)), "LLM_API_KEY",
        env.string("LLM_SYSTEM_PROMPT", null), null, null, null, null, null, null);
  }

  /**
   * A list of profiles, or an object with an {@code assistants} list. {@code source} starts every error
   * message (the variable and the file).
   */
  public static AssistantCatalog parse(String text, boolean yaml, String source) {
    Object root;
    try {
      root = yaml ? Yamls.load(text) : decodeJson(text);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(source + " is not valid " + (yaml ? "YAML" : "JSON") + ": " + e.getMessage());
    }
    if (root instanceof JsonObject object && object.getValue("assistants") instanceof JsonArray list) {
      root = list;
    }
    if (!(root instanceof JsonArray list)) {
      throw new IllegalArgumentException(source + " must hold a list of assistant profiles"
          + " (or an object with an \"assistants\" list)");
    }
    if (list.isEmpty()) {
      throw new IllegalArgumentException(source + " lists no assistant profile");
    }
    if (list.size() > MAX_PROFILES) {
      throw new IllegalArgumentException(source + " lists more than " + MAX_PROFILES + " profiles");
    }
    List<AssistantProfile> profiles = new ArrayList<>();
    Set<String> ids = new java.util.HashSet<>();
    for (int i = 0; i < list.size(); i++) {
      if (!(list.getValue(i) instanceof JsonObject entry)) {
        throw new IllegalArgumentException(source + ": profile #" + (i + 1) + " is not an object");
      }
      AssistantProfile profile = profile(entry, source, i + 1);
      if (!ids.add(profile.id())) {
        throw new IllegalArgumentException(source + ": profile '" + profile.id() + "' is listed twice");
      }
      profiles.add(profile);
    }
    return new AssistantCatalog(profiles);
  }

  private static Object decodeJson(String text) {
    String trimmed = text.strip();
    try {
      return trimmed.startsWith("[") ? new JsonArray(trimmed) : new JsonObject(trimmed);
    } catch (DecodeException e) {
      throw new IllegalArgumentException(e.getMessage().lines().findFirst().orElse("cannot decode"));
    }
  }

  private static AssistantProfile profile(JsonObject json, String source, int position) {
    String id = json.getValue("id") instanceof String s ? s.strip() : null;
    if (id == null || !ID.matcher(id).matches()) {
      throw new IllegalArgumentException(source + ": profile #" + position
          + " field 'id': must be 1..40 of a-z, 0-9, '_' and '-',"
          + " starting with a letter or digit; got " + json.getValue("id"));
    }
    String at = source + ": profile '" + id + "' field '";
    for (String field : json.fieldNames()) {
      if (field.equals("apiKey")) {
        throw new IllegalArgumentException(at + "apiKey': keys are never written in the file;"
            + " put the key in an environment variable and name it in apiKeyEnv");
      }
      if (!FIELDS.contains(field)) {
        throw new IllegalArgumentException(at + field + "': unknown field (known: " + new java.util.TreeSet<>(FIELDS)
            + ")");
      }
    }
    String name = text(json, "name", at, true, 80);
    String provider = text(json, "provider", at, true, 20).toLowerCase(Locale.ROOT);
    if (!provider.equals(AssistantProfile.OPENAI) && !provider.equals(AssistantProfile.ANTHROPIC)
        && !provider.equals(AssistantProfile.DEMO)) {
      throw new IllegalArgumentException(
          at + "provider': must be one of openai|anthropic|demo, got '" + provider + "'");
    }
    String baseUrl = text(json, "baseUrl", at, false, 2_000);
    if (baseUrl != null && !isHttpUrl(baseUrl)) {
      throw new IllegalArgumentException(at + "baseUrl': must be an http(s) URL, got '" + baseUrl + "'");
    }
    String model = text(json, "model", at, false, 200);
    String apiKeyEnv = text(json, "apiKeyEnv", at, false, 200);
    if (apiKeyEnv != null && !ENV_NAME.matcher(apiKeyEnv).matches()) {
      throw new IllegalArgumentException(at + "apiKeyEnv': must name an environment variable, got '" + apiKeyEnv
          + "'");
    }
    Double temperature = number(json, "temperature", at, 0, 2);
    Integer maxTokens = whole(json, "maxTokens", at, 1, 1_000_000);
    Integer contextMessages = whole(json, "contextMessages", at, 1, HistoryQuery.MAX_LIMIT);
    // What the profile's provider allows its key; unset: the worker's LLM_CONCURRENT_REQUESTS and so on.
    Integer concurrentRequests = whole(json, "concurrentRequests", at, 1, 100_000);
    Integer requestsPerMinute = whole(json, "requestsPerMinute", at, 0, 100_000_000);
    Integer tokensPerMinute = whole(json, "tokensPerMinute", at, 0, 2_000_000_000);
    return new AssistantProfile(id, name, text(json, "description", at, false, 500), provider, baseUrl,
        model == null ? AssistantProfile.defaultModel(provider) : model, apiKeyEnv,
        text(json, "systemPrompt", at, false, 100_000), temperature, maxTokens, contextMessages, concurrentRequests,
        requestsPerMinute, tokensPerMinute);
  }

  private static boolean isHttpUrl(String value) {
    try {
      URI uri = URI.create(value);
      return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static String text(JsonObject json, String field, String at, boolean required, int maxLength) {
    Object value = json.getValue(field);
    if (value == null) {
      if (required) {
        throw new IllegalArgumentException(at + field + "': is required");
      }
      return null;
    }
    if (!(value instanceof String s) || s.isBlank()) {
      throw new IllegalArgumentException(at + field + "': must be a non-empty string");
    }
    if (s.length() > maxLength) {
      throw new IllegalArgumentException(at + field + "': is longer than " + maxLength + " characters");
    }
    return s.strip();
  }

  private static Double number(JsonObject json, String field, String at, double min, double max) {
    Object value = json.getValue(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof Number n) || n.doubleValue() < min || n.doubleValue() > max) {
      throw new IllegalArgumentException(at + field + "': must be a number from " + min + " to " + max + ", got "
          + value);
    }
    return n.doubleValue();
  }

  private static Integer whole(JsonObject json, String field, String at, int min, int max) {
    Object value = json.getValue(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()) || n.longValue() < min
        || n.longValue() > max) {
      throw new IllegalArgumentException(at + field + "': must be a whole number from " + min + " to " + max
          + ", got " + value);
    }
    return n.intValue();
  }

  /** Every profile, in the file's order. */
  public List<AssistantProfile> profiles() {
    return List.copyOf(byId.values());
  }

  /** The assistant of a conversation that names none (created before assistants, or without choosing). */
  public AssistantProfile first() {
    return byId.values().iterator().next();
  }

  /** The profile, or null when the file has none of that id (any more). */
  public AssistantProfile find(String id) {
    return id == null ? first() : byId.get(id);
  }

  /** The profile for a client's choice: 400 naming the id when there is none. */
  public AssistantProfile require(String id) {
    AssistantProfile profile = byId.get(id);
    if (profile == null) {
      throw ChorusException.badRequest("no such assistant: '" + id + "' (GET /api/assistants lists them)");
    }
    return profile;
  }

  public Set<String> ids() {
    return byId.keySet();
  }

  /** YAML read with the safe constructor (plain maps, lists and scalars only), turned into Vert.x JSON. */
  private static final class Yamls {
    static Object load(String text) {
      Object loaded = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
      return toJson(loaded);
    }

    @SuppressWarnings("unchecked")
    private static Object toJson(Object value) {
      if (value instanceof Map<?, ?> map) {
        JsonObject object = new JsonObject();
        map.forEach((k, v) -> object.put(String.valueOf(k), toJson(v)));
        return object;
      }
      if (value instanceof List<?> list) {
        JsonArray array = new JsonArray();
        list.forEach(v -> array.add(toJson(v)));
        return array;
      }
      return value;
    }
  }

  @Override
  public String toString() {
    return "AssistantCatalog" + byId.values();
  }
}
