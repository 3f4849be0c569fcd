package io.chorus.model.limits;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.ExtendedMapEntry;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A claim on a key where its entry lives: the first claimant's value is set, with a time to live, and every claim
 * gets the value that holds the key (its own if it was first). An atomic put-if-absent with a TTL, which IMap does
 * not offer asynchronously. The no-argument constructor and {@code readData} are Hazelcast's.
 */
public final class ClaimOnce implements EntryProcessor<String, String, String>, DataSerializable {
  private String claimant;
  private long ttlMillis;

  /** For Hazelcast's deserialisation only. */
  public ClaimOnce() {}

  ClaimOnce(String claimant, long ttlMillis) {
    this.claimant = claimant;
    this.ttlMillis = ttlMillis;
  }

  @Override
  public String process(Map.Entry<String, String> entry) {
    String holder = entry.getValue();
    if (holder != null) {
      return holder;
    }
    ((ExtendedMapEntry<String, String>) entry).setValue(claimant, Math.max(1, ttlMillis), TimeUnit.MILLISECONDS);
    return claimant;
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeString(claimant);
    out.writeLong(ttlMillis);
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    claimant = in.readString();
    ttlMillis = in.readLong();
  }
}
