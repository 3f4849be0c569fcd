package io.chorus.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class FieldsTest {
  private static JsonObject parsed(String json) {
    return new JsonObject(json);
  }

  private static void refused(Runnable read, String message) {
    assertThatThrownBy(read::run).isInstanceOfSatisfying(ChorusException.class, e -> {
      assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST);
      assertThat(e.getMessage()).isEqualTo(message);
    });
  }

  @Test
  void integersInRangeAreRead() {
    JsonObject json = parsed("{\"a\":5,\"b\":9223372036854775807,\"c\":-9223372036854775808,\"d\":7.0}");
    assertThat(Fields.optLong(json, "a")).isEqualTo(5);
    assertThat(Fields.optLong(json, "b")).isEqualTo(Long.MAX_VALUE);
    assertThat(Fields.optLong(json, "c")).isEqualTo(Long.MIN_VALUE);
    assertThat(Fields.optLong(json, "d")).isEqualTo(7);
    assertThat(Fields.optLong(json, "missing")).isNull();
    assertThat(Fields.optInt(json, "a")).isEqualTo(5);
  }

  /** JSON numbers have no size limit: one past a long must not wrap around to a small value. */
  @Test
  void integersOutOfRangeAre400NotWrapped() {
    JsonObject json = parsed("{\"limit\":18446744073709551621,\"afterSeq\":9223372036854775808,\"big\":1e300,"
        + "\"int\":4294967297}");
    refused(() -> Fields.optInt(json, "limit"), "limit is out of range");
    refused(() -> Fields.optLong(json, "limit"), "limit is out of range");
    refused(() -> Fields.optLong(json, "afterSeq"), "afterSeq is out of range");
    refused(() -> Fields.optLong(json, "big"), "big is out of range");
    refused(() -> Fields.optInt(json, "int"), "int is out of range");
    refused(() -> Fields.optLong(parsed("{\"x\":1.5}"), "x"), "x must be an integer");
    refused(() -> Fields.optLong(parsed("{\"x\":\"1\"}"), "x"), "x must be an integer");
  }

  @Test
  void queryIntegersAreCheckedTheSameWay() {
    assertThat(Fields.parseInt("limit", null)).isNull();
    assertThat(Fields.parseInt("limit", "50")).isEqualTo(50);
    assertThat(Fields.parseLong("afterSeq", "-3")).isEqualTo(-3);
    refused(() -> Fields.parseInt("limit", "4294967297"), "limit is out of range");
    refused(() -> Fields.parseLong("afterSeq", "18446744073709551621"), "afterSeq is out of range");
    refused(() -> Fields.parseInt("limit", "ten"), "limit must be an integer");
    refused(() -> Fields.parseInt("limit", "1e3"), "limit must be an integer");
  }

  @Test
  void labelsRefuseControlBidiAndBrokenText() {
    assertThat(Fields.label("title", "Plans for Q3 — ünïcödé \uD83D\uDE00")).isEqualTo("Plans for Q3 — ünïcödé \uD83D\uDE00");
    assertThat(Fields.label("title", null)).isNull();
    refused(() -> Fields.label("title", "a\u0000b"), "title must not contain control characters");
    refused(() -> Fields.label("username", "a\nb"), "username must not contain control characters");
    refused(() -> Fields.label("title", "a\u0085b"), "title must not contain control characters");
    refused(() -> Fields.label("title", "a\u007Fb"), "title must not contain control characters");
    refused(() -> Fields.label("title", "gpj.\u202Eexe"), "title must not contain bidirectional override characters");
    refused(() -> Fields.label("title", "a\u2067b"), "title must not contain bidirectional override characters");
    refused(() -> Fields.label("title", "a\uD800b"), "title must not contain an unpaired surrogate (not Unicode text)");
  }

  @Test
  void textMayHoldAnyCharacterButNotAnUnpairedSurrogate() {
    assertThat(Fields.wellFormed("text", "line\none \u202E \uD83D\uDE00")).isEqualTo("line\none \u202E \uD83D\uDE00");
    refused(() -> Fields.wellFormed("text", "\uDE00"), "text must not contain an unpaired surrogate (not Unicode text)");
    refused(() -> Fields.wellFormed("text", "end \uD83D"), "text must not contain an unpaired surrogate (not Unicode text)");
  }
}
