package io.chorus.gateway.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chorus.model.ChorusException;
import io.chorus.model.ErrorCode;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

class UploadFormTest {
  private final Buffer sink = Buffer.buffer();
  private final UploadForm form = new UploadForm(10, 3, sink::appendBuffer);

  @Test
  void theFirstFilePartGoesToTheSinkAndTheTextIsKept() {
    form.partStart("text", null);
    form.partData(Buffer.buffer("hé"));
    form.partEnd();
    form.partStart("file", "a.txt");
    form.partData(Buffer.buffer("12345"));
    form.partData(Buffer.buffer("678"));
    form.partEnd();
    form.partStart("file", "second.txt");
    form.partData(Buffer.buffer("ignored"));
    form.partEnd();
    form.partStart("other", null);
    form.partData(Buffer.buffer("dropped"));

    assertThat(sink.toString()).isEqualTo("12345678");
    assertThat(form.hasFile()).isTrue();
    assertThat(form.filename()).isEqualTo("a.txt");
    assertThat(form.fileBytes()).isEqualTo(8);
    assertThat(form.text()).isEqualTo("hé");
  }

  @Test
  void aFileOverTheLimitIs413() {
    form.partStart("file", "big");
    form.partData(Buffer.buffer("1234567890"));
    assertThatThrownBy(() -> form.partData(Buffer.buffer("1")))
        .isInstanceOfSatisfying(ChorusException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TOO_LARGE));
  }

  @Test
  void textWithANulOrAnotherControlCharacterIs400NamingTheField() {
    for (String bad : new String[] {"a\u0000b", "bell\u0007", "esc\u001B[31m", "del\u007F", "c1\u0085"}) {
      UploadForm withText = new UploadForm(10, 100, b -> { });
      withText.partStart("text", null);
      withText.partData(Buffer.buffer(bad));
      assertThatThrownBy(withText::text).as(bad)
          .isInstanceOfSatisfying(ChorusException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST))
          .hasMessageStartingWith("text must not contain control characters");
    }
    // What a browser's form sends from a textarea: CRLF line breaks, tabs.
    UploadForm typed = new UploadForm(10, 100, b -> { });
    typed.partStart("text", null);
    typed.partData(Buffer.buffer("line one\r\n\tline two\n"));
    assertThat(typed.text()).isEqualTo("line one\r\n\tline two\n");
  }

  @Test
  void textIsBoundedAndBlankTextIsNone() {
    form.partStart("text", null);
    form.partData(Buffer.buffer("abcd"));
    assertThatThrownBy(form::text).isInstanceOf(ChorusException.class).hasMessageContaining("3 characters");
    UploadForm blank = new UploadForm(10, 3, b -> { });
    blank.partStart("text", null);
    blank.partData(Buffer.buffer("  "));
    assertThat(blank.text()).isNull();
    assertThat(blank.hasFile()).isFalse();
  }
}
