package io.chorus.model.limits;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;
import java.io.IOException;

/**
 * One key's bucket as stored in a limit's cluster map: its tokens when last changed, and when (the epoch
 * milliseconds of the member that changed it). The no-argument constructor and {@code readData} are Hazelcast's.
 */
public final class BucketLevel implements DataSerializable {
  private double tokens;
  private long atMillis;

  /** For Hazelcast's deserialisation only. */
  public BucketLevel() {}

  public BucketLevel(double tokens, long atMillis) {
    this.tokens = tokens;
    this.atMillis = atMillis;
  }

  public double tokens() {
    return tokens;
  }

  public long atMillis() {
    return atMillis;
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeDouble(tokens);
    out.writeLong(atMillis);
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    tokens = in.readDouble();
    atMillis = in.readLong();
  }

  @Override
  public String toString() {
    return "BucketLevel[tokens=" + tokens + ", atMillis=" + atMillis + "]";
  }
}
