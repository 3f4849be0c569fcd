package io.chorus.storage;

/**
 * Turns a client's file name into one that is safe to store and show: the last path component only
 * (either separator, so {@code ../../etc/passwd} becomes {@code passwd}), no control or invisible
 * formatting characters (a right-to-left override could disguise {@code exe.txt} as {@code txt.exe}), no
 * leading dots (no {@code ..}, no hidden files), white space collapsed, at most {@link #MAX_CODE_POINTS}
 * characters keeping the extension. The result is only ever shown and sent in headers; the bytes are
 * stored under a generated id.
 */
final class FilenameSanitizer {
  static final int MAX_CODE_POINTS = 200;
  /** Longest extension kept when a name is cut, dot included. */
  private static final int MAX_EXTENSION = 16;
  static final String FALLBACK = "file";

  private FilenameSanitizer() {}

  static String sanitize(String raw) {
    if (raw == null) {
      return FALLBACK;
    }
    String name = "";
    // The last component that still says something: "a/b/" names b, not nothing.
    for (String part : raw.split("[/\\\\]")) {
      String clean = clean(part);
      if (!clean.isEmpty()) {
        name = clean;
      }
    }
    return name.isEmpty() ? FALLBACK : truncate(name);
  }

  /** Drops control and invisible characters, collapses white space, trims dots and spaces off the ends. */
  private static String clean(String part) {
    StringBuilder out = new StringBuilder(part.length());
    part.codePoints().forEach(cp -> {
      if (!isVisible(cp)) {
        return;
      }
      if (Character.isWhitespace(cp) || Character.isSpaceChar(cp)) {
        if (out.length() > 0 && out.charAt(out.length() - 1) != ' ') {
          out.append(' ');
        }
      } else {
        out.appendCodePoint(cp);
      }
    });
    int start = 0;
    int end = out.length();
    while (start < end && (out.charAt(start) == '.' || out.charAt(start) == ' ')) {
      start++;
    }
    while (end > start && (out.charAt(end - 1) == '.' || out.charAt(end - 1) == ' ')) {
      end--;
    }
    return out.substring(start, end);
  }

  private static boolean isVisible(int cp) {
    return switch (Character.getType(cp)) {
      case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE,
           Character.UNASSIGNED, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> false;
      default -> true;
    };
  }

  private static String truncate(String name) {
    int length = name.codePointCount(0, name.length());
    if (length <= MAX_CODE_POINTS) {
      return name;
    }
    int dot = name.lastIndexOf('.');
    String extension = dot > 0 && name.length() - dot <= MAX_EXTENSION ? name.substring(dot) : "";
    int keep = MAX_CODE_POINTS - extension.codePointCount(0, extension.length());
    String base = name.substring(0, name.offsetByCodePoints(0, keep)).stripTrailing();
    return base + extension;
  }
}
