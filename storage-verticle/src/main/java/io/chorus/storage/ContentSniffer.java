package io.chorus.storage;

/**
 * Decides a file's content type from its first bytes, never from what the client claimed: PNG, JPEG,
 * GIF, WebP, PDF and ZIP by their signatures, UTF-8 text without binary control characters as
 * {@code text/plain}, anything else as {@code application/octet-stream}. It never answers a type a browser
 * would run (HTML, SVG, JavaScript): such files are text, and served as text.
 */
final class ContentSniffer {
  /** How much of the start of a file is looked at. */
  static final int HEAD_BYTES = 4096;

  static final String PNG = "image/png";
  static final String JPEG = "image/jpeg";
  static final String GIF = "image/gif";
  static final String WEBP = "image/webp";
  static final String PDF = "application/pdf";
  static final String ZIP = "application/zip";
  static final String TEXT = "text/plain; charset=utf-8";
  static final String BINARY = "application/octet-stream";

  private ContentSniffer() {}

  /**
   * {@code head} holds the first {@code length} bytes; {@code truncated} when the file goes on beyond
   * them, so a UTF-8 sequence cut at the end of the head is not held against the text.
   */
  static String sniff(byte[] head, int length, boolean truncated) {
    if (startsWith(head, length, 0, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
      return PNG;
    }
    if (startsWith(head, length, 0, 0xFF, 0xD8, 0xFF)) {
      return JPEG;
    }
    if (startsWith(head, length, 0, 'G', 'I', 'F', '8', '7', 'a')
        || startsWith(head, length, 0, 'G', 'I', 'F', '8', '9', 'a')) {
      return GIF;
    }
    if (startsWith(head, length, 0, 'R', 'I', 'F', 'F') && startsWith(head, length, 8, 'W', 'E', 'B', 'P')) {
      return WEBP;
    }
    if (startsWith(head, length, 0, '%', 'P', 'D', 'F', '-')) {
      return PDF;
    }
    // Local file header, empty archive, spanned archive.
    if (startsWith(head, length, 0, 'P', 'K', 3, 4) || startsWith(head, length, 0, 'P', 'K', 5, 6)
        || startsWith(head, length, 0, 'P', 'K', 7, 8)) {
      return ZIP;
    }
    return length > 0 && isUtf8Text(head, length, truncated) ? TEXT : BINARY;
  }

  private static boolean startsWith(byte[] head, int length, int at, int... signature) {
    if (at + signature.length > length) {
      return false;
    }
    for (int i = 0; i < signature.length; i++) {
      if ((head[at + i] & 0xFF) != signature[i]) {
        return false;
      }
    }
    return true;
  }

  /** Well-formed UTF-8 (no overlongs, no surrogates) with no control characters but tab, CR, LF, FF. */
  static boolean isUtf8Text(byte[] b, int length, boolean truncated) {
    int i = startsWith(b, length, 0, 0xEF, 0xBB, 0xBF) ? 3 : 0;
    while (i < length) {
      int c = b[i] & 0xFF;
      if (c < 0x80) {
        if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') || c == 0x7F) {
          return false;
        }
        i++;
        continue;
      }
      int more;
      int min = 0x80;
      int max = 0xBF;
      if (c >= 0xC2 && c <= 0xDF) {
        more = 1;
      } else if (c >= 0xE0 && c <= 0xEF) {
        more = 2;
        min = c == 0xE0 ? 0xA0 : 0x80;
        max = c == 0xED ? 0x9F : 0xBF;
      } else if (c >= 0xF0 && c <= 0xF4) {
        more = 3;
        min = c == 0xF0 ? 0x90 : 0x80;
        max = c == 0xF4 ? 0x8F : 0xBF;
      } else {
        return false;
      }
      for (int k = 1; k <= more; k++) {
        if (i + k >= length) {
          // The head ends inside a character: fine if the file goes on, malformed if it ends here.
          return truncated;
        }
        int next = b[i + k] & 0xFF;
        if (next < (k == 1 ? min : 0x80) || next > (k == 1 ? max : 0xBF)) {
          return false;
        }
      }
      i += more + 1;
    }
    return true;
  }
}
