package io.chorus.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OptionsTest {
  @Test
  void defaultsToFanoutAgainstAStartedStandalone() {
    Options o = Options.parse();
    assertThat(o.scenarios()).containsExactly("fanout");
    assertThat(o.url()).isNull();
    assertThat(o.port()).isEqualTo(18080);
    assertThat(o.pgUri()).endsWith("/chorus_bench");
    assertThat(o.pin()).isTrue();
    assertThat(o.pinPostgres()).as("PostgreSQL is left alone unless asked").isFalse();
    assertThat(Options.parse("--pin-postgres").pinPostgres()).isTrue();
    assertThat(o.keepDatabase()).as("each run starts from an empty chorus_bench").isFalse();
    assertThat(Options.parse("--keep-database").keepDatabase()).isTrue();
    assertThat(o.serverCpu()).isZero();
    assertThat(o.loadCpu()).isEqualTo(1);
    assertThat(o.p99LimitMs()).isEqualTo(100);
  }

  @Test
  void readsScenariosAndOptionsInBothForms() {
    Options o = Options.parse("stream", "--streams", "16", "--tokens-per-second=50", "--url", "http://h:9/",
        "--no-pin", "--json", "out.json", "--server-pid", "42,43", "--stream-members", "2");
    assertThat(o.scenarios()).containsExactly("stream");
    assertThat(o.streams()).isEqualTo(16);
    assertThat(o.streamMembers()).isEqualTo(2);
    assertThat(Options.parse("stream").streamMembers()).as("one member per room by default").isEqualTo(1);
    assertThat(o.tokensPerSecond()).isEqualTo(50);
    assertThat(o.url()).isEqualTo("http://h:9/");
    assertThat(o.pin()).isFalse();
    assertThat(o.json()).isEqualTo("out.json");
    assertThat(o.serverPids()).containsExactly(42L, 43L);
  }

  @Test
  void allMeansEveryScenario() {
    assertThat(Options.parse("all").scenarios()).containsExactly("fanout", "stream", "idle", "sweep");
  }

  @Test
  void sendRateIsClientsOverPeriod() {
    Options o = Options.parse("--clients", "200", "--period", "500");
    assertThat(o.sendRate(500)).isEqualTo(400.0);
  }

  @Test
  void refusesUnknownOptionsScenariosAndBadNumbers() {
    assertThatThrownBy(() -> Options.parse("--colour", "red")).hasMessageContaining("unknown option --colour");
    // a misspelt option must not swallow the next one as its value
    assertThatThrownBy(() -> Options.parse("--colour", "--clients", "10")).hasMessageContaining("unknown option --colour");
    assertThatThrownBy(() -> Options.parse("storm")).hasMessageContaining("unknown scenario 'storm'");
    assertThatThrownBy(() -> Options.parse("--clients", "many")).hasMessageContaining("--clients needs a whole number");
    assertThatThrownBy(() -> Options.parse("--period", "0")).hasMessageContaining("--period must be from 1");
    assertThatThrownBy(() -> Options.parse("--duration")).hasMessageContaining("--duration needs a value");
    assertThatThrownBy(() -> Options.parse("--server-pid", "12,x")).hasMessageContaining("process ids");
  }

  @Test
  void severalGatewaysAreCommaSeparated() {
    Options o = Options.parse("--url", "http://127.0.0.1:8080, http://127.0.0.1:8081");
    assertThat(o.urls()).containsExactly("http://127.0.0.1:8080", "http://127.0.0.1:8081");
    assertThatThrownBy(() -> Options.parse("--url", "localhost:8080")).hasMessageContaining("--url needs http://");
  }

  @Test
  void clientsMustFillWholeRooms() {
    assertThatThrownBy(() -> Options.parse("--clients", "25", "--room-size", "10"))
        .hasMessageContaining("multiple of --room-size");
  }

  @Test
  void helpIsItsOwnOutcome() {
    assertThatThrownBy(() -> Options.parse("--help")).isInstanceOf(Options.HelpRequested.class);
  }

  @Test
  void everyOptionIsInTheJson() {
    assertThat(Options.parse("--clients", "20").toJson().getInteger("clients")).isEqualTo(20);
  }
}
