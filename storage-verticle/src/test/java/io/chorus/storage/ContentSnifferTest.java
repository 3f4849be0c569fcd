package io.chorus.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ContentSnifferTest {
  private static String sniff(byte[] head) {
    return ContentSniffer.sniff(head, head.length, false);
  }

  private static byte[] bytes(int... values) {
    byte[] out = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (byte) values[i];
    }
    return out;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  @Test
  void recognisesSignatures() {
    assertThat(sniff(bytes(0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13))).isEqualTo("image/png");
    assertThat(sniff(bytes(0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10))).isEqualTo("image/jpeg");
    assertThat(sniff(ascii("GIF89a\u0001\u0000"))).isEqualTo("image/gif");
    assertThat(sniff(ascii("GIF87a\u0001\u0000"))).isEqualTo("image/gif");
    assertThat(sniff(ascii("RIFF\u0024\u0000\u0000\u0000WEBPVP8 "))).isEqualTo("image/webp");
    assertThat(sniff(ascii("%PDF-1.7\n%\u00e2\u00e3"))).isEqualTo("application/pdf");
    assertThat(sniff(bytes('P', 'K', 3, 4, 20, 0))).isEqualTo("application/zip");
    assertThat(sniff(bytes('P', 'K', 5, 6, 0, 0))).isEqualTo("application/zip");
  }

  @Test
  void utf8WithoutBinaryControlsIsText() {
    assertThat(sniff("hello\tworld\r\n".getBytes(StandardCharsets.UTF_8))).isEqualTo("text/plain; charset=utf-8");
    assertThat(sniff("héllo wörld – 日本 😀".getBytes(StandardCharsets.UTF_8))).isEqualTo("text/plain; charset=utf-8");
    assertThat(sniff(bytes(0xEF, 0xBB, 0xBF, 'h', 'i'))).isEqualTo("text/plain; charset=utf-8");
  }

  @Test
  void whatABrowserWouldRunIsOnlyText() {
    assertThat(sniff(ascii("<!DOCTYPE html><script>alert(1)</script>"))).isEqualTo("text/plain; charset=utf-8");
    assertThat(sniff(ascii("<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>")))
        .isEqualTo("text/plain; charset=utf-8");
  }

  @Test
  void binaryOrMalformedIsOctetStream() {
    assertThat(sniff(bytes('a', 0, 'b'))).isEqualTo("application/octet-stream");
    assertThat(sniff(bytes('a', 0x1B, 'b'))).isEqualTo("application/octet-stream");
    assertThat(sniff(bytes(0xC3, 0x28))).isEqualTo("application/octet-stream");
    // Overlong encoding of '/', and a UTF-16 surrogate encoded in UTF-8.
    assertThat(sniff(bytes(0xC0, 0xAF))).isEqualTo("application/octet-stream");
    assertThat(sniff(bytes(0xED, 0xA0, 0x80))).isEqualTo("application/octet-stream");
    assertThat(sniff(new byte[0])).isEqualTo("application/octet-stream");
    // A short PNG signature is not a PNG.
    assertThat(sniff(bytes(0x89, 'P', 'N'))).isEqualTo("application/octet-stream");
  }

  @Test
  void aCharacterCutAtTheEndOfTheHeadIsFineOnlyWhenTheFileGoesOn() {
    byte[] text = "ab€".getBytes(StandardCharsets.UTF_8);
    byte[] cut = Arrays.copyOf(text, text.length - 1);
    assertThat(ContentSniffer.sniff(cut, cut.length, true)).isEqualTo("text/plain; charset=utf-8");
    assertThat(ContentSniffer.sniff(cut, cut.length, false)).isEqualTo("application/octet-stream");
  }
}
