package io.chorus.llm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FairQueueTest {
  private final FairQueue<String, String> queue = new FairQueue<>();
  private final Map<String, Integer> running = new HashMap<>();

  private String poll() {
    return queue.poll(user -> running.getOrDefault(user, 0));
  }

  private List<String> drain() {
    List<String> order = new ArrayList<>();
    for (String item = poll(); item != null; item = poll()) {
      order.add(item);
    }
    return order;
  }

  @Test
  void usersWithEqualSharesTakeTurnsAndEachUsersItemsKeepTheirOrder() {
    for (int i = 1; i <= 4; i++) {
      queue.add("flooder", "f" + i);
    }
    queue.add("bob", "b1");
    queue.add("bob", "b2");
    queue.add("carol", "c1");

    assertThat(queue.size()).isEqualTo(7);
    assertThat(queue.keys()).isEqualTo(3);
    assertThat(drain()).containsExactly("f1", "b1", "c1", "f2", "b2", "f3", "f4");
    assertThat(queue.size()).isZero();
    assertThat(queue.keys()).isZero();
  }

  @Test
  void theUserWithFewestRunningGoesFirstSoABacklogNeverHoldsUpAnotherUsersFirstQuestion() {
    running.put("flooder", 2); // the flooder holds every slot, and more wait
    for (int i = 1; i <= 5; i++) {
      queue.add("flooder", "f" + i);
    }
    queue.add("bob", "b1"); // arrives last, behind the whole backlog

    assertThat(poll()).isEqualTo("b1");
    assertThat(poll()).isEqualTo("f1");
  }

  @Test
  void removingAWaitingItemKeepsTheRestInOrderAndAnEmptiedUserLeavesTheLine() {
    queue.add("a", "a1");
    queue.add("b", "b1");
    queue.add("a", "a2");

    assertThat(queue.remove("b", "b1")).isTrue();
    assertThat(queue.remove("b", "b1")).as("only once").isFalse();
    assertThat(queue.remove("nobody", "x")).isFalse();
    assertThat(queue.keys()).isEqualTo(1);
    assertThat(drain()).containsExactly("a1", "a2");
    assertThat(poll()).isNull();
  }

  @Test
  void clearForgetsEverything() {
    queue.add("a", "a1");
    queue.add("b", "b1");
    queue.clear();
    assertThat(queue.size()).isZero();
    assertThat(poll()).isNull();
    queue.add("b", "b2");
    assertThat(drain()).containsExactly("b2");
  }
}
