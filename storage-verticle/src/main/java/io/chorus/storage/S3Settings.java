package io.chorus.storage;

import io.chorus.model.Env;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * Where {@code FILE_STORE=s3} keeps files: {@code S3_ENDPOINT} (empty for AWS itself), {@code S3_REGION},
 * {@code S3_BUCKET}, {@code S3_PREFIX} (put before every key as it is, e.g. {@code chorus/files/}) and
 * {@code S3_PATH_STYLE} ({@code http://host/bucket/key} rather than {@code http://bucket.host/key}: what
 * MinIO and most self-hosted stores want). Credentials: {@code AWS_ACCESS_KEY_ID} and
 * {@code AWS_SECRET_ACCESS_KEY} (with {@code AWS_SESSION_TOKEN} for temporary ones), else the profile
 * {@code AWS_PROFILE}, else the SDK's default chain (instance or container role, web identity, the
 * {@code default} profile). {@link #toString} never shows a secret.
 */
public record S3Settings(String endpoint, String region, String bucket, String prefix, boolean pathStyle,
    String accessKeyId, String secretAccessKey, String sessionToken, String profile) {
  public static final String DEFAULT_REGION = "us-east-1";

  public S3Settings {
    endpoint = endpoint == null ? "" : endpoint;
    prefix = prefix == null ? "" : prefix;
    if (!endpoint.isEmpty()) {
      try {
        URI uri = new URI(endpoint);
        if (uri.getScheme() == null || uri.getHost() == null) {
          throw new URISyntaxException(endpoint, "no scheme or host");
        }
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException("S3_ENDPOINT must be a URL such as http://127.0.0.1:9000, got '"
            + endpoint + "'");
      }
    }
    if (region == null || region.isBlank()) {
      throw new IllegalArgumentException("S3_REGION must not be empty");
    }
    if (bucket == null || bucket.isBlank()) {
      throw new IllegalArgumentException("S3_BUCKET is required with FILE_STORE=s3");
    }
    if (prefix.startsWith("/")) {
      throw new IllegalArgumentException("S3_PREFIX must not start with '/', got '" + prefix + "'");
    }
    if ((accessKeyId == null) != (secretAccessKey == null)) {
      throw new IllegalArgumentException("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY go together: set both or neither");
    }
  }

  /** Package-private: read by {@link StorageConfig#from}, the service's one config record. */
  static S3Settings from(Env env) {
    return new S3Settings(env.string("S3_ENDPOINT", ""), env.string("S3_REGION", DEFAULT_REGION),
        env.string("S3_BUCKET", null), env.string("S3_PREFIX", ""), bool(env, "S3_PATH_STYLE", false),
        env.string("AWS_ACCESS_KEY_ID", null), env.string("AWS_SECRET_ACCESS_KEY", null),
        env.string("AWS_SESSION_TOKEN", null), env.string("AWS_PROFILE", null));
  }

  /** The key of a stored file. */
  String key(String fileId) {
    return prefix + fileId;
  }

  private static boolean bool(Env env, String key, boolean defaultValue) {
    String value = env.string(key, null);
    if (value == null) {
      return defaultValue;
    }
    return switch (value.toLowerCase()) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException(key + " must be true or false, got '" + value + "'");
    };
  }

  @Override
  public String toString() {
    return "S3Settings[endpoint=" + (endpoint.isEmpty() ? "(AWS)" : endpoint) + ", region=" + region + ", bucket="
        + bucket + ", prefix=" + prefix + ", pathStyle=" + pathStyle + ", credentials="
        + (accessKeyId != null ? "access key " + accessKeyId : profile != null ? "profile " + profile : "default chain")
        + "]";
  }
}
