package io.chorus.gateway.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chorus.model.ChorusException;
import io.chorus.model.ErrorCode;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MultipartParserTest {
  private static final String BOUNDARY = "----chorusBoundary7MA4YWxk";

  /** What the parser reported, one entry per part. */
  private static final class Parts implements MultipartParser.Listener {
    final List<String> names = new ArrayList<>();
    final List<String> filenames = new ArrayList<>();
    final List<Buffer> bodies = new ArrayList<>();
    int ended;
    int largestPiece;

    @Override
    public void partStart(String name, String filename) {
      names.add(name);
      filenames.add(filename);
      bodies.add(Buffer.buffer());
    }

    @Override
    public void partData(Buffer data) {
      largestPiece = Math.max(largestPiece, data.length());
      bodies.get(bodies.size() - 1).appendBuffer(data);
    }

    @Override
    public void partEnd() {
      ended++;
    }
  }

  private static Buffer body(byte[] file, String text) {
    Buffer b = Buffer.buffer();
    b.appendString("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"../a b.png\"\r\n"
        + "Content-Type: image/png\r\n\r\n");
    b.appendBytes(file);
    b.appendString("\r\n--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\n" + text
        + "\r\n--" + BOUNDARY + "--\r\nepilogue is ignored");
    return b;
  }

  /** Feeds the body in pieces of {@code size} bytes, as network reads would arrive. */
  private static Parts parse(Buffer body, int size) {
    Parts parts = new Parts();
    MultipartParser parser = new MultipartParser(BOUNDARY, parts);
    for (int i = 0; i < body.length(); i += size) {
      parser.feed(body.getBuffer(i, Math.min(body.length(), i + size)));
    }
    assertThat(parser.done()).isTrue();
    return parts;
  }

  @Test
  void readsFieldsAndFileWhateverTheReadSizes() {
    byte[] file = new byte[100_000];
    new Random(1).nextBytes(file);
    // Bytes that look like the start of a delimiter must come through as data.
    byte[] trap = ("\r\n--" + BOUNDARY.substring(0, 10)).getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(trap, 0, file, 5000, trap.length);
    Buffer body = body(file, "hello, wörld");
    for (int size : new int[] {1, 7, 41, 1000, 65536, body.length()}) {
      Parts parts = parse(body, size);
      assertThat(parts.names).containsExactly("file", "text");
      assertThat(parts.filenames).containsExactly("../a b.png", null);
      assertThat(parts.bodies.get(0).getBytes()).isEqualTo(file);
      assertThat(parts.bodies.get(1).toString(StandardCharsets.UTF_8)).isEqualTo("hello, wörld");
      assertThat(parts.ended).isEqualTo(2);
    }
  }

  @Test
  void passesDataOnAsItArrivesInsteadOfHoldingIt() {
    byte[] file = new byte[1_000_000];
    Parts parts = parse(body(file, ""), 65536);
    // Each read is handed on at once, minus at most a delimiter's worth held back.
    assertThat(parts.largestPiece).isLessThanOrEqualTo(65536 + BOUNDARY.length() + 4);
  }

  @Test
  void readsTheBoundaryFromTheContentType() {
    assertThat(MultipartParser.boundary("multipart/form-data; boundary=abc")).isEqualTo("abc");
    assertThat(MultipartParser.boundary("Multipart/Form-Data; charset=utf-8; boundary=\"a b\"")).isEqualTo("a b");
    assertThat(MultipartParser.boundary("multipart/form-data")).isNull();
    assertThat(MultipartParser.boundary("application/json; boundary=abc")).isNull();
    assertThat(MultipartParser.boundary("multipart/form-data; boundary=" + "x".repeat(71))).isNull();
    assertThat(MultipartParser.boundary(null)).isNull();
  }

  @Test
  void readsDispositionParameters() {
    String value = " form-data; name=\"file\"; filename=\"C:\\dir\\x;y.txt\"";
    assertThat(MultipartParser.param(value, "name")).isEqualTo("file");
    assertThat(MultipartParser.param(value, "filename")).isEqualTo("C:\\dir\\x;y.txt");
    assertThat(MultipartParser.param(" form-data; name=plain", "name")).isEqualTo("plain");
    assertThat(MultipartParser.param(" form-data; name=\"x\"", "filename")).isNull();
  }

  @Test
  void aBodyThatIsNotMultipartIsABadRequest() {
    MultipartParser parser = new MultipartParser(BOUNDARY, new Parts());
    assertThatThrownBy(() -> parser.feed(Buffer.buffer("--" + BOUNDARY + "garbage")))
        .isInstanceOf(ChorusException.class).hasMessageContaining("malformed");
    MultipartParser noName = new MultipartParser(BOUNDARY, new Parts());
    assertThatThrownBy(() -> noName.feed(Buffer.buffer("--" + BOUNDARY + "\r\nContent-Type: text/plain\r\n\r\nx")))
        .isInstanceOf(ChorusException.class);
  }

  @Test
  void theWholeBodyIsBoundedWhicheverPartTheBytesAreIn() {
    Buffer ignoredField = Buffer.buffer(
        "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"padding\"\r\n\r\n");
    ignoredField.appendBytes(new byte[5_000]);
    Parts parts = new Parts();
    MultipartParser parser = new MultipartParser(BOUNDARY, parts, 4_096);
    assertThatThrownBy(() -> {
      for (int i = 0; i < ignoredField.length(); i += 1000) {
        parser.feed(ignoredField.getBuffer(i, Math.min(ignoredField.length(), i + 1000)));
      }
    }).isInstanceOfSatisfying(ChorusException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TOO_LARGE))
        .hasMessageContaining("4096 bytes");

    // Bytes after the closing boundary count too.
    Buffer body = body(new byte[100], "t");
    MultipartParser withEpilogue = new MultipartParser(BOUNDARY, new Parts(), body.length() + 10);
    withEpilogue.feed(body);
    assertThat(withEpilogue.done()).isTrue();
    assertThatThrownBy(() -> withEpilogue.feed(Buffer.buffer(new byte[11]))).isInstanceOf(ChorusException.class);
  }

  @Test
  void aTruncatedBodyIsNotDone() {
    Buffer body = body(new byte[1000], "t");
    Parts parts = new Parts();
    MultipartParser parser = new MultipartParser(BOUNDARY, parts);
    parser.feed(body.getBuffer(0, 600));
    assertThat(parser.done()).isFalse();
  }
}
