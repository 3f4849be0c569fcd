package io.chorus.model.streams;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;
import io.vertx.core.shareddata.Shareable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A small set of stream ids, each with a time stamp (epoch ms; 0 where none is needed): a user's answer slots
 * (stream -> reserved at) or the streams of a conversation. Changed only by {@link IdSetChange}s where it lives;
 * immutable, so a change builds a new one. The no-argument constructor and {@code readData} are Hazelcast's.
 */
public final class StampedIds implements DataSerializable, Shareable {
  private Map<String, Long> stamps;

  /** For Hazelcast's deserialisation only. */
  public StampedIds() {
    this(Map.of());
  }

  private StampedIds(Map<String, Long> stamps) {
    this.stamps = stamps;
  }

  static StampedIds of(String id, long stamp) {
    return new StampedIds(Map.of(id, stamp));
  }

  boolean contains(String id) {
    return stamps.containsKey(id);
  }

  int size() {
    return stamps.size();
  }

  Set<String> ids() {
    return Collections.unmodifiableSet(stamps.keySet());
  }

  /** The ids stamped before {@code before}, in the order they were added. */
  List<String> stampedBefore(long before) {
    List<String> old = new ArrayList<>();
    stamps.forEach((id, stamp) -> {
      if (stamp < before) {
        old.add(id);
      }
    });
    return old;
  }

  StampedIds with(String id, long stamp) {
    Map<String, Long> next = new LinkedHashMap<>(stamps);
    next.put(id, stamp);
    return new StampedIds(next);
  }

  /** Without {@code ids}; null (no entry at all) when nothing is left. */
  StampedIds without(Iterable<String> ids) {
    Map<String, Long> next = new LinkedHashMap<>(stamps);
    ids.forEach(next::remove);
    return next.isEmpty() ? null : new StampedIds(next);
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeInt(stamps.size());
    for (Map.Entry<String, Long> entry : stamps.entrySet()) {
      out.writeString(entry.getKey());
      out.writeLong(entry.getValue());
    }
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    int size = in.readInt();
    Map<String, Long> read = new LinkedHashMap<>();
    for (int i = 0; i < size; i++) {
      read.put(in.readString(), in.readLong());
    }
    stamps = read;
  }
}
