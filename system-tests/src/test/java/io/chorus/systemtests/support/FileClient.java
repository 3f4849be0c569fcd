package io.chorus.systemtests.support;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The file endpoints as an ordinary HTTP/1.1 client uses them (the JDK client, independent of Vert.x):
 * multipart uploads streamed from {@link GeneratedContent}, downloads streamed into a SHA-256, so big
 * files never sit in the test's memory. Calls block the calling thread.
 */
public final class FileClient {
  private static final Duration TIMEOUT = Duration.ofSeconds(120);
  /** Downloads up to this size are also kept as bytes, for comparing slices. */
  private static final int KEEP_BYTES = 2 * 1024 * 1024;

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10)).build();
  private final int port;

  public record Reply(int status, JsonObject body, HttpHeaders headers) {}

  public record Download(int status, HttpHeaders headers, long size, String sha256, byte[] bytes) {
    public String header(String name) {
      return headers.firstValue(name).orElse(null);
    }
  }

  /** One multipart body: the file part, then (when given) a text field after it. */
  public record Multipart(String boundary, byte[] head, GeneratedContent content, byte[] tail) {
    public long length() {
      return head.length + content.size() + tail.length;
    }

    public InputStream open() {
      return new SequenceInputStream(new SequenceInputStream(new ByteArrayInputStream(head), content.open()),
          new ByteArrayInputStream(tail));
    }

    public String contentType() {
      return "multipart/form-data; boundary=" + boundary;
    }
  }

  public FileClient(int port) {
    this.port = port;
  }

  public static Multipart multipart(String filename, String clientType, GeneratedContent content, String text) {
    String boundary = "chorus-" + UUID.randomUUID();
    String head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename
        + "\"\r\nContent-Type: " + clientType + "\r\n\r\n";
    String tail = "\r\n" + (text == null ? ""
        : "--" + boundary + "\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\n" + text + "\r\n")
        + "--" + boundary + "--\r\n";
    return new Multipart(boundary, head.getBytes(StandardCharsets.UTF_8), content,
        tail.getBytes(StandardCharsets.UTF_8));
  }

  public Reply upload(String token, String conversationId, Multipart body) {
    return upload(token, conversationId, body, true);
  }

  /** {@code declareLength} false sends the body chunked, with no Content-Length to check up front. */
  public Reply upload(String token, String conversationId, Multipart body, boolean declareLength) {
    return upload(token, conversationId, body, declareLength, false);
  }

  /**
   * {@code expectContinue}: send {@code Expect: 100-continue} and the body only once the server says go
   * on; a refusal then arrives without a byte of the body sent.
   */
  public Reply upload(String token, String conversationId, Multipart body, boolean declareLength,
      boolean expectContinue) {
    BodyPublisher stream = BodyPublishers.ofInputStream(body::open);
    HttpRequest request = HttpRequest.newBuilder(uri("/api/conversations/" + conversationId + "/files"))
        .timeout(TIMEOUT)
        .header("Authorization", "Bearer " + token)
        .header("Content-Type", body.contentType())
        .expectContinue(expectContinue)
        .POST(declareLength ? BodyPublishers.fromPublisher(stream, body.length()) : stream)
        .build();
    HttpResponse<String> response = send(request, BodyHandlers.ofString());
    String text = response.body();
    return new Reply(response.statusCode(), text == null || text.isEmpty() ? new JsonObject() : new JsonObject(text),
        response.headers());
  }

  public Download download(String token, String path, Map<String, String> headers) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(uri(path)).timeout(TIMEOUT).GET()
        .header("Authorization", "Bearer " + token);
    headers.forEach(builder::header);
    HttpResponse<InputStream> response = send(builder.build(), BodyHandlers.ofInputStream());
    MessageDigest digest = GeneratedContent.newDigest();
    ByteArrayOutputStream kept = new ByteArrayOutputStream();
    long size = 0;
    byte[] buffer = new byte[64 * 1024];
    try (InputStream in = response.body()) {
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
        if (size + n <= KEEP_BYTES) {
          kept.write(buffer, 0, n);
        }
        size += n;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Download(response.statusCode(), response.headers(), size, HexFormat.of().formatHex(digest.digest()),
        size <= KEEP_BYTES ? kept.toByteArray() : null);
  }

  public Download download(String token, String path) {
    return download(token, path, Map.of());
  }

  /**
   * A download read straight off a socket, a buffer at a time, so the client itself holds next to
   * nothing (the JDK client reads ahead into its own queue): for measuring the server's memory.
   */
  public Download downloadLean(String token, String path) {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
      socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
          + "Authorization: Bearer " + token + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      InputStream in = new java.io.BufferedInputStream(socket.getInputStream(), 64 * 1024);
      String statusLine = readLine(in);
      java.util.Map<String, List<String>> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      for (String line; !(line = readLine(in)).isEmpty(); ) {
        int colon = line.indexOf(':');
        headers.computeIfAbsent(line.substring(0, colon).trim(), k -> new java.util.ArrayList<>())
            .add(line.substring(colon + 1).trim());
      }
      MessageDigest digest = GeneratedContent.newDigest();
      long size = 0;
      byte[] buffer = new byte[64 * 1024];
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
        size += n;
      }
      return new Download(Integer.parseInt(statusLine.split(" ")[1]), HttpHeaders.of(headers, (a, b) -> true), size,
          HexFormat.of().formatHex(digest.digest()), null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    for (int c; (c = in.read()) >= 0 && c != '\n'; ) {
      if (c != '\r') {
        line.append((char) c);
      }
    }
    return line.toString();
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
    try {
      return http.send(request, handler);
    } catch (IOException e) {
      throw new UncheckedIOException(request.method() + " " + request.uri().getPath() + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Header names a download test looks at, for readable failure messages. */
  public static final List<String> DOWNLOAD_HEADERS = List.of("content-type", "content-length", "content-disposition",
      "etag", "content-range", "x-content-type-options");
}
