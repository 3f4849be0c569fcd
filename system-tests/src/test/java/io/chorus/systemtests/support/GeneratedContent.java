package io.chorus.systemtests.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;

/**
 * File content made on the fly from a seed, with a fixed prefix (a PNG signature, say): big uploads are
 * streamed from it and never held in the test's memory, and its SHA-256 is known without storing it.
 */
public final class GeneratedContent {
  private final long seed;
  private final long size;
  private final byte[] prefix;
  private String sha256;

  public GeneratedContent(long seed, long size, byte[] prefix) {
    if (prefix.length > size) {
      throw new IllegalArgumentException("prefix longer than the content");
    }
    this.seed = seed;
    this.size = size;
    this.prefix = prefix.clone();
  }

  public static GeneratedContent random(long seed, long size) {
    return new GeneratedContent(seed, size, new byte[0]);
  }

  public long size() {
    return size;
  }

  public InputStream open() {
    return new InputStream() {
      private final SplittableRandom random = new SplittableRandom(seed);
      private long position;
      private long word;
      private int wordLeft;

      @Override
      public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (position >= size) {
          return -1;
        }
        int n = (int) Math.min(len, size - position);
        for (int i = 0; i < n; i++) {
          if (wordLeft == 0) {
            word = random.nextLong();
            wordLeft = 8;
          }
          byte next = (byte) word;
          word >>>= 8;
          wordLeft--;
          b[off + i] = position + i < prefix.length ? prefix[(int) (position + i)] : next;
        }
        position += n;
        return n;
      }
    };
  }

  /** The bytes from {@code from} (inclusive) to {@code to} (exclusive), for small slices. */
  public byte[] slice(long from, long to) {
    try (InputStream in = open()) {
      in.skipNBytes(from);
      return in.readNBytes((int) (to - from));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public synchronized String sha256() {
    if (sha256 == null) {
      MessageDigest digest = newDigest();
      byte[] buffer = new byte[64 * 1024];
      try (InputStream in = open()) {
        for (int n; (n = in.read(buffer, 0, buffer.length)) > 0; ) {
          digest.update(buffer, 0, n);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      sha256 = HexFormat.of().formatHex(digest.digest());
    }
    return sha256;
  }

  static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
