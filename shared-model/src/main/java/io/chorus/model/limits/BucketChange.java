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
 * One change to a key's bucket, run by Hazelcast where the entry lives (an entry processor: the key's partition
 * is locked for it, so takes from every node are serialised without a lock or a retry): take up to some tokens,
 * give some back, or count them. The bucket is refilled first with the owning member's clock.
 *
 * <p>A changed bucket is written with a time to live of {@link TokenBucket#millisToFull}: when it runs out the
 * bucket is full, which is what no entry means, so the map holds only the keys that used their limit lately. A
 * bucket given back to full is removed at once. The no-argument constructor and {@code readData} are Hazelcast's.
 */
public final class BucketChange implements EntryProcessor<String, BucketLevel, Integer>, DataSerializable {
  private static final int TAKE = 0;
  private static final int GIVE_BACK = 1;
  private static final int COUNT = 2;

  private double perSecond;
  private int burst;
  private int credit;
  private int kind;
  private int tokens;

  /** For Hazelcast's deserialisation only. */
  public BucketChange() {}

  private BucketChange(TokenBucket bucket, int kind, int tokens) {
    this.perSecond = bucket.perSecond();
    this.burst = bucket.burst();
    this.credit = bucket.credit();
    this.kind = kind;
    this.tokens = tokens;
  }

  /** Takes up to {@code want} tokens; the outcome is how many it got (0 when the bucket is empty). */
  static BucketChange take(TokenBucket bucket, int want) {
    return new BucketChange(bucket, TAKE, want);
  }

  /** Gives back {@code tokens} taken and not used (never past the burst); the outcome is 0. */
  static BucketChange giveBack(TokenBucket bucket, int tokens) {
    return new BucketChange(bucket, GIVE_BACK, tokens);
  }

  /** Changes nothing; the outcome is how many whole tokens the bucket holds. */
  static BucketChange count(TokenBucket bucket) {
    return new BucketChange(bucket, COUNT, 0);
  }

  /** What the change makes of {@code current} at {@code nowMillis}. */
  record Outcome(int result, boolean write, BucketLevel next, long ttlMillis) {}

  Outcome apply(BucketLevel current, long nowMillis) {
    TokenBucket bucket = new TokenBucket(perSecond, burst, credit);
    double level = bucket.tokensAt(current, nowMillis);
    switch (kind) {
      case TAKE -> {
        int granted = bucket.grantable(level, tokens);
        if (granted == 0) {
          return new Outcome(0, false, current, 0); // nothing taken: the stored level refills by itself
        }
        double left = level - granted;
        return new Outcome(granted, true, new BucketLevel(left, nowMillis), bucket.millisToFull(left));
      }
      case GIVE_BACK -> {
        if (current == null) {
          return new Outcome(0, false, null, 0); // full already
        }
        double after = bucket.givenBack(level, tokens);
        return bucket.isFull(after) ? new Outcome(0, true, null, 0)
            : new Outcome(0, true, new BucketLevel(after, nowMillis), bucket.millisToFull(after));
      }
      default -> {
        return new Outcome((int) Math.max(0, Math.floor(level)), false, current, 0);
      }
    }
  }

  @Override
  public Integer process(Map.Entry<String, BucketLevel> entry) {
    Outcome outcome = apply(entry.getValue(), System.currentTimeMillis());
    if (outcome.write()) {
      if (outcome.next() == null) {
        entry.setValue(null);
      } else {
        ((ExtendedMapEntry<String, BucketLevel>) entry).setValue(outcome.next(), outcome.ttlMillis(),
            TimeUnit.MILLISECONDS);
      }
    }
    return outcome.result();
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeDouble(perSecond);
    out.writeInt(burst);
    out.writeInt(credit);
    out.writeInt(kind);
    out.writeInt(tokens);
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    perSecond = in.readDouble();
    burst = in.readInt();
    credit = in.readInt();
    kind = in.readInt();
    tokens = in.readInt();
  }
}
