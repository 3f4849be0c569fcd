package io.chorus.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chorus.model.ChorusException;
import io.chorus.model.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.VertxException;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;

class StorageErrorsTest {
  @Test
  void expectedOutcomesPassThrough() {
    ChorusException forbidden = ChorusException.forbidden("not a member");
    assertThat(StorageErrors.map(forbidden, "here")).isSameAs(forbidden);
  }

  @Test
  void anUnreachableDatabaseIsUnavailable() {
    assertThat(StorageErrors.map(new ConnectException("Connection refused"), "here").code())
        .isEqualTo(ErrorCode.UNAVAILABLE);
    assertThat(StorageErrors.map(ClosedConnectionException.INSTANCE, "here").code()).isEqualTo(ErrorCode.UNAVAILABLE);
    assertThat(StorageErrors.map(pg("57P01", "terminating connection due to administrator command"), "here").code())
        .isEqualTo(ErrorCode.UNAVAILABLE);
    assertThat(StorageErrors.map(pg("08006", "connection failure"), "here").code()).isEqualTo(ErrorCode.UNAVAILABLE);
    assertThat(StorageErrors.map(new VertxException("Timeout waiting for connection", true), "here").code())
        .isEqualTo(ErrorCode.UNAVAILABLE);
    assertThat(StorageErrors.map(new ConnectionPoolTooBusyException("Connection pool reached max wait queue size of 1"),
        "here").code()).isEqualTo(ErrorCode.UNAVAILABLE);
    assertThat(StorageErrors.map(new RuntimeException("wrapped", new ConnectException("refused")), "here").code())
        .isEqualTo(ErrorCode.UNAVAILABLE);
  }

  @Test
  void otherDatabaseErrorsAreInternalWithoutSqlText() {
    ChorusException mapped = StorageErrors.map(pg("42601", "syntax error at or near \"SELEC\""), "here");
    assertThat(mapped.code()).isEqualTo(ErrorCode.INTERNAL);
    assertThat(mapped.getMessage()).doesNotContain("SELEC");
  }

  @Test
  void aValueTheDatabaseCannotHoldIsBadRequestWithoutSqlText() {
    ChorusException mapped = StorageErrors.map(pg("22021", "invalid byte sequence for encoding \"UTF8\": 0x00"), "here");
    assertThat(mapped.code()).isEqualTo(ErrorCode.BAD_REQUEST);
    assertThat(mapped.getMessage()).doesNotContain("UTF8");
  }

  @Test
  void recognisesUniqueViolations() {
    assertThat(StorageErrors.isUniqueViolation(pg("23505", "duplicate key"))).isTrue();
    assertThat(StorageErrors.isUniqueViolation(pg("23503", "foreign key"))).isFalse();
    assertThat(StorageErrors.isUniqueViolation(new RuntimeException())).isFalse();
  }

  @Test
  void guardMapsThrownAndFailedWork() {
    Future<Object> thrown = StorageErrors.guard("here", () -> {
      throw ChorusException.badRequest("limit must be at least 1");
    });
    assertThat(((ChorusException) thrown.cause()).code()).isEqualTo(ErrorCode.BAD_REQUEST);
    Future<Object> failed = StorageErrors.guard("here", () -> Future.failedFuture(new ConnectException("refused")));
    assertThat(((ChorusException) failed.cause()).code()).isEqualTo(ErrorCode.UNAVAILABLE);
  }

  private static PgException pg(String state, String message) {
    return new PgException(message, "ERROR", state, null);
  }
}
