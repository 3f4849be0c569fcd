package io.chorus.gateway.files;

/**
 * A {@code Range} request header read against a file's size (RFC 9110 14.1): one satisfiable
 * {@code bytes=a-b}, {@code bytes=a-} or {@code bytes=-n} gives that slice (206); a range that starts past
 * the end, or a zero suffix, is unsatisfiable (416); no header, another unit, bad syntax or several
 * ranges give the whole file (200), which the RFC allows a server to answer instead.
 */
public record ByteRange(long start, long length, Kind kind) {
  enum Kind { WHOLE, PARTIAL, UNSATISFIABLE }

  private static final String UNIT = "bytes=";

  static ByteRange whole(long size) {
    return new ByteRange(0, size, Kind.WHOLE);
  }

  static ByteRange parse(String header, long size) {
    if (header == null || !header.regionMatches(true, 0, UNIT, 0, UNIT.length())) {
      return whole(size);
    }
    String spec = header.substring(UNIT.length()).trim();
    int dash = spec.indexOf('-');
    if (spec.contains(",") || dash < 0) {
      return whole(size);
    }
    Long first = number(spec.substring(0, dash));
    Long last = number(spec.substring(dash + 1));
    if (first == null && last == null) {
      return whole(size);
    }
    if (first == null) {
      // A suffix: the last n bytes, all of them when n exceeds the size.
      long n = last;
      return n == 0 || size == 0 ? unsatisfiable() : partial(Math.max(0, size - n), size - 1);
    }
    if (last != null && last < first) {
      return whole(size);
    }
    if (first >= size) {
      return unsatisfiable();
    }
    return partial(first, last == null ? size - 1 : Math.min(last, size - 1));
  }

  public long end() {
    return start + length - 1;
  }

  /** {@code Content-Range} for a 206 or a 416. */
  String contentRange(long size) {
    return kind == Kind.UNSATISFIABLE ? "bytes */" + size : "bytes " + start + "-" + end() + "/" + size;
  }

  private static ByteRange partial(long first, long last) {
    return new ByteRange(first, last - first + 1, Kind.PARTIAL);
  }

  private static ByteRange unsatisfiable() {
    return new ByteRange(0, 0, Kind.UNSATISFIABLE);
  }

  /** A non-negative decimal, null when empty; malformed or absurd numbers count as empty-and-invalid. */
  private static Long number(String text) {
    String digits = text.trim();
    if (digits.isEmpty() || digits.length() > 18 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return null;
    }
    return Long.parseLong(digits);
  }
}
