package io.chorus.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class IdsTest {
  private static final String ID = "0b9e8a3c-5d6f-4e1a-9b2c-7d8e9f0a1b2c";

  @Test
  void malformedOrMissingIdsAreBadRequestsNamingTheField() {
    assertThatThrownBy(() -> Ids.uuid("nope", "conversationId"))
        .isInstanceOfSatisfying(ChorusException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST))
        .hasMessage("conversationId must be a UUID");
    assertThatThrownBy(() -> Ids.uuid(null, "userId")).hasMessage("userId is required");
    assertThat(Ids.optUuid(null, "replyTo")).isNull();
    assertThat(Ids.uuid(ID, "userId")).isEqualTo(UUID.fromString(ID));
  }

  @Test
  void canonicalFormIsLowerCase() {
    assertThat(Ids.canonical(ID.toUpperCase(), "fileId")).isEqualTo(ID);
    assertThat(Ids.canonicalOrNull(ID.toUpperCase())).isEqualTo(ID);
    assertThat(Ids.canonicalOrNull("nope")).isNull();
    assertThat(Ids.canonicalOrNull(null)).isNull();
  }

  @Test
  void onlyTheExactCanonicalFormIsCanonical() {
    assertThat(Ids.isCanonical(ID)).isTrue();
    assertThat(Ids.isCanonical(ID.toUpperCase())).isFalse();
    assertThat(Ids.isCanonical("1-2-3-4-5")).isFalse(); // UUID.fromString accepts it, addresses must not
    assertThat(Ids.isCanonical(null)).isFalse();
  }

  @Test
  void theCharacterCheckAgreesWithParsingOnEveryOneCharacterChange() {
    java.util.Random random = new java.util.Random(17);
    String alphabet = "0123456789abcdefABCDEFg-x ";
    for (int n = 0; n < 200; n++) {
      String id = new java.util.UUID(random.nextLong(), random.nextLong()).toString();
      assertThat(Ids.isCanonical(id)).isTrue();
      assertThat(Ids.canonical(id, "id")).isSameAs(id);
      for (int i = 0; i < id.length(); i++) {
        char[] changed = id.toCharArray();
        changed[i] = alphabet.charAt(random.nextInt(alphabet.length()));
        String value = new String(changed);
        String parsed;
        try {
          parsed = java.util.UUID.fromString(value).toString();
        } catch (IllegalArgumentException e) {
          parsed = null;
        }
        assertThat(Ids.canonicalOrNull(value)).as(value).isEqualTo(parsed);
        assertThat(Ids.isCanonical(value)).as(value).isEqualTo(value.equals(parsed));
      }
    }
  }
}
