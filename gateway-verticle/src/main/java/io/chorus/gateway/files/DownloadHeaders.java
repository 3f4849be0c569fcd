package io.chorus.gateway.files;

import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * The headers that make a download safe to open in a browser: {@code Content-Disposition} with the
 * stored (already sanitized) name as RFC 6266 {@code filename*=UTF-8''...} plus an ASCII fallback,
 * {@code inline} only for types a browser shows without running anything (images, plain text),
 * {@code attachment} for everything else; a sandboxing {@code Content-Security-Policy} on every type; the
 * {@code ETag} from the SHA-256 and its {@code If-None-Match} test.
 */
public final class DownloadHeaders {
  /**
   * Types a browser may render in the page: it displays them, it does not execute them. Not PDF: a PDF
   * viewer runs the document's scripts and forms, and browsers refuse to show one under the sandbox below,
   * so a PDF is always an attachment, opened outside the site's origin.
   */
  private static final Set<String> INLINE = Set.of(
      "image/png", "image/jpeg", "image/gif", "image/webp", "text/plain");
  /** Nothing a stored file may contain can run in the page, whatever the browser decides. */
  static final String SANDBOX = "default-src 'none'; style-src 'unsafe-inline'; sandbox";

  private DownloadHeaders() {}

  static boolean inline(String contentType) {
    int semicolon = contentType.indexOf(';');
    String base = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase();
    return INLINE.contains(base);
  }

  static String contentDisposition(String contentType, String filename) {
    return (inline(contentType) ? "inline" : "attachment")
        + "; filename=\"" + asciiFallback(filename) + "\"; filename*=UTF-8''" + encode(filename);
  }

  static String etag(String sha256) {
    return "\"" + sha256 + "\"";
  }

  /** Weak comparison, as If-None-Match requires: {@code *}, or any listed tag equal to ours. */
  public static boolean matches(String ifNoneMatch, String etag) {
    if (ifNoneMatch == null) {
      return false;
    }
    for (String tag : ifNoneMatch.split(",")) {
      String t = tag.trim();
      if (t.equals("*") || (t.startsWith("W/") ? t.substring(2) : t).equals(etag)) {
        return true;
      }
    }
    return false;
  }

  /** For old clients without {@code filename*}: printable ASCII, quotes and backslashes replaced. */
  static String asciiFallback(String name) {
    StringBuilder out = new StringBuilder(name.length());
    name.codePoints().forEach(cp ->
        out.append(cp >= 0x20 && cp < 0x7F && cp != '"' && cp != '\\' ? (char) cp : '_'));
    return out.toString();
  }

  /** RFC 8187 value: UTF-8 bytes, percent-encoded except attr-char. */
  public static String encode(String name) {
    StringBuilder out = new StringBuilder();
    for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xFF;
      boolean attrChar = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || "!#$&+-.^_`|~".indexOf(c) >= 0;
      if (attrChar) {
        out.append((char) c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
      }
    }
    return out.toString();
  }
}
