package io.chorus.gateway.files;

import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.gateway.files.ByteRange.Kind;
import org.junit.jupiter.api.Test;

class ByteRangeTest {
  private static final long SIZE = 1000;

  private static ByteRange parse(String header) {
    return ByteRange.parse(header, SIZE);
  }

  @Test
  void aClosedRange() {
    ByteRange r = parse("bytes=100-199");
    assertThat(r.kind()).isEqualTo(Kind.PARTIAL);
    assertThat(r.start()).isEqualTo(100);
    assertThat(r.length()).isEqualTo(100);
    assertThat(r.contentRange(SIZE)).isEqualTo("bytes 100-199/1000");
  }

  @Test
  void openAndSuffixRanges() {
    assertThat(parse("bytes=900-")).isEqualTo(new ByteRange(900, 100, Kind.PARTIAL));
    assertThat(parse("bytes=-10")).isEqualTo(new ByteRange(990, 10, Kind.PARTIAL));
    assertThat(parse("bytes=-5000")).isEqualTo(new ByteRange(0, 1000, Kind.PARTIAL));
    assertThat(parse("bytes=990-5000")).isEqualTo(new ByteRange(990, 10, Kind.PARTIAL));
    assertThat(parse("Bytes = 0-0".replace(" = ", "="))).isEqualTo(new ByteRange(0, 1, Kind.PARTIAL));
  }

  @Test
  void unsatisfiable() {
    assertThat(parse("bytes=1000-").kind()).isEqualTo(Kind.UNSATISFIABLE);
    assertThat(parse("bytes=5000-6000").kind()).isEqualTo(Kind.UNSATISFIABLE);
    assertThat(parse("bytes=-0").kind()).isEqualTo(Kind.UNSATISFIABLE);
    assertThat(ByteRange.parse("bytes=0-", 0).kind()).isEqualTo(Kind.UNSATISFIABLE);
    assertThat(parse("bytes=1000-").contentRange(SIZE)).isEqualTo("bytes */1000");
  }

  @Test
  void whatItCannotHonourGivesTheWholeFile() {
    for (String header : new String[] {null, "", "items=0-1", "bytes=", "bytes=-", "bytes=a-b", "bytes=5-1",
        "bytes=0-1,5-6", "bytes=99999999999999999999-", "bytes=1"}) {
      assertThat(parse(header)).as(String.valueOf(header)).isEqualTo(new ByteRange(0, SIZE, Kind.WHOLE));
    }
  }
}
