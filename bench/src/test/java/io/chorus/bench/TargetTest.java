package io.chorus.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TargetTest {

  @Test
  void everyWarmUpRoundHasUsersOfItsOwn() {
    Set<String> names = new HashSet<>();
    IntStream rounds = IntStream.concat(IntStream.rangeClosed(1, 120), IntStream.of(1000, 1001, 10000));
    rounds.forEach(round -> IntStream.range(0, 200)
        .forEach(i -> assertThat(names.add(Target.usernameOf("abc123", "w" + round, i)))
            .as("round %d user %d", round, i).isTrue()));
    IntStream.range(0, 200).forEach(i -> assertThat(names.add(Target.usernameOf("abc123", "stream", i))).isTrue());
  }
}
