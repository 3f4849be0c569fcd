package io.chorus.storage;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FilenameSanitizerTest {
  private static String clean(String raw) {
    return FilenameSanitizer.sanitize(raw);
  }

  @Test
  void keepsOrdinaryNames() {
    assertThat(clean("report.pdf")).isEqualTo("report.pdf");
    assertThat(clean("Résumé 2024 (final).docx")).isEqualTo("Résumé 2024 (final).docx");
    assertThat(clean("日本語のファイル.txt")).isEqualTo("日本語のファイル.txt");
  }

  @Test
  void keepsOnlyTheLastPathComponent() {
    assertThat(clean("../../etc/passwd")).isEqualTo("passwd");
    assertThat(clean("..\\..\\windows\\win.ini")).isEqualTo("win.ini");
    assertThat(clean("C:\\Users\\me\\photo.jpg")).isEqualTo("photo.jpg");
    assertThat(clean("/absolute/path/")).isEqualTo("path");
  }

  @Test
  void dropsControlAndInvisibleCharacters() {
    assertThat(clean("re\u0000po\u0007rt\r\n.txt")).isEqualTo("report.txt");
    // A right-to-left override would show "invoice\u202Etxt.exe" as "invoiceexe.txt".
    assertThat(clean("invoice\u202Etxt.exe")).isEqualTo("invoicetxt.exe");
    assertThat(clean("zero\u200Bwidth.txt")).isEqualTo("zerowidth.txt");
    assertThat(clean("bad\uD800surrogate.txt")).isEqualTo("badsurrogate.txt");
  }

  @Test
  void trimsDotsAndCollapsesSpaces() {
    assertThat(clean("..")).isEqualTo(FilenameSanitizer.FALLBACK);
    assertThat(clean(".bashrc")).isEqualTo("bashrc");
    assertThat(clean("  many   \t spaces  .txt ")).isEqualTo("many spaces .txt");
    assertThat(clean("name.")).isEqualTo("name");
  }

  @Test
  void givesAFallbackForNothingUsable() {
    assertThat(clean(null)).isEqualTo("file");
    assertThat(clean("")).isEqualTo("file");
    assertThat(clean("/")).isEqualTo("file");
    assertThat(clean("\u0001\u0002")).isEqualTo("file");
  }

  @Test
  void limitsTheLengthAndKeepsTheExtension() {
    String cut = clean("a".repeat(500) + ".tar.gz");
    assertThat(cut.codePointCount(0, cut.length())).isEqualTo(FilenameSanitizer.MAX_CODE_POINTS);
    assertThat(cut).endsWith("a.gz");
    String emoji = clean("😀".repeat(300));
    assertThat(emoji.codePointCount(0, emoji.length())).isEqualTo(FilenameSanitizer.MAX_CODE_POINTS);
    assertThat(emoji).isEqualTo("😀".repeat(FilenameSanitizer.MAX_CODE_POINTS));
  }
}
