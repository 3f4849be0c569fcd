package io.chorus.llm;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * Items waiting for a slot, kept per key (a user) and served fairly across keys rather than first come
 * first served: {@link #poll} takes the oldest item of the key with the fewest items already running,
 * and among keys tied on that, of the key whose turn it is (round-robin: a key served goes to the back
 * of the line). So one key's backlog never goes ahead of another key's first item, and keys with equal
 * shares take turns. Items of one key keep their order.
 *
 * <p>Not thread-safe: used on the LLM worker's context only.
 */
final class FairQueue<K, T> {
  private final Map<K, ArrayDeque<T>> byKey = new HashMap<>();
  /** The keys with items waiting, in the order of their turns. */
  private final ArrayDeque<K> turns = new ArrayDeque<>();
  private int size;

  void add(K key, T item) {
    ArrayDeque<T> items = byKey.get(key);
    if (items == null) {
      items = new ArrayDeque<>();
      byKey.put(key, items);
      turns.addLast(key);
    }
    items.addLast(item);
    size++;
  }

  /**
   * Takes the next item, or null when none waits. {@code running} tells how many items of a key hold
   * a slot now; scanning the keys is cheap, as there are at most as many as items waiting.
   */
  T poll(ToIntFunction<K> running) {
    K chosen = null;
    int fewest = Integer.MAX_VALUE;
    for (K key : turns) {
      int load = running.applyAsInt(key);
      if (load < fewest) {
        fewest = load;
        chosen = key;
      }
    }
    if (chosen == null) {
      return null;
    }
    turns.remove(chosen);
    ArrayDeque<T> items = byKey.get(chosen);
    T item = items.pollFirst();
    size--;
    if (items.isEmpty()) {
      byKey.remove(chosen);
    } else {
      turns.addLast(chosen);
    }
    return item;
  }

  /** Removes a waiting item (stopped or ended before its turn); false when it was not waiting. */
  boolean remove(K key, T item) {
    ArrayDeque<T> items = byKey.get(key);
    if (items == null || !items.remove(item)) {
      return false;
    }
    size--;
    if (items.isEmpty()) {
      byKey.remove(key);
      turns.remove(key);
    }
    return true;
  }

  int size() {
    return size;
  }

  /** How many keys have items waiting. */
  int keys() {
    return byKey.size();
  }

  void clear() {
    byKey.clear();
    turns.clear();
    size = 0;
  }
}
