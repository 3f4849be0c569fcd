package io.chorus.gateway.files;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DownloadHeadersTest {
  @Test
  void showsOnlyWhatABrowserDisplaysWithoutRunningIt() {
    assertThat(DownloadHeaders.inline("image/png")).isTrue();
    assertThat(DownloadHeaders.inline("text/plain; charset=utf-8")).isTrue();
    assertThat(DownloadHeaders.inline("application/pdf")).isFalse();
    assertThat(DownloadHeaders.inline("text/html")).isFalse();
    assertThat(DownloadHeaders.inline("image/svg+xml")).isFalse();
    assertThat(DownloadHeaders.inline("application/javascript")).isFalse();
    assertThat(DownloadHeaders.inline("application/zip")).isFalse();
    assertThat(DownloadHeaders.inline("application/octet-stream")).isFalse();
  }

  @Test
  void dispositionCarriesTheNameInUtf8AndAnAsciiFallback() {
    assertThat(DownloadHeaders.contentDisposition("image/png", "chart.png"))
        .isEqualTo("inline; filename=\"chart.png\"; filename*=UTF-8''chart.png");
    // A PDF viewer runs the document's scripts: never in the site's origin.
    assertThat(DownloadHeaders.contentDisposition("application/pdf", "report.pdf"))
        .isEqualTo("attachment; filename=\"report.pdf\"; filename*=UTF-8''report.pdf");
    assertThat(DownloadHeaders.contentDisposition("text/html", "Résumé \"final\".html"))
        .isEqualTo("attachment; filename=\"R_sum_ _final_.html\"; "
            + "filename*=UTF-8''R%C3%A9sum%C3%A9%20%22final%22.html");
    assertThat(DownloadHeaders.encode("a;b=c\\d/é😀")).isEqualTo("a%3Bb%3Dc%5Cd%2F%C3%A9%F0%9F%98%80");
  }

  @Test
  void etagMatchingIsWeakAndAcceptsLists() {
    String etag = DownloadHeaders.etag("abc123");
    assertThat(etag).isEqualTo("\"abc123\"");
    assertThat(DownloadHeaders.matches("\"abc123\"", etag)).isTrue();
    assertThat(DownloadHeaders.matches("W/\"abc123\"", etag)).isTrue();
    assertThat(DownloadHeaders.matches("\"other\", \"abc123\"", etag)).isTrue();
    assertThat(DownloadHeaders.matches("*", etag)).isTrue();
    assertThat(DownloadHeaders.matches("\"other\"", etag)).isFalse();
    assertThat(DownloadHeaders.matches(null, etag)).isFalse();
  }
}
