package io.chorus.model.streams;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One change of a {@link StampedIds} set where it lives: an id added or removed, or a user's answer slot reserved.
 * On Hazelcast it runs as an entry processor on the key's partition (and again on its backup): one call that
 * cannot race another, where Vert.x's cluster maps offered only a read and then a compare-and-set that blocks a
 * worker thread (two calls and a thread hand-over, and again on a conflict), on the path of every question and
 * every answer's end. The no-argument constructor and {@code readData} are Hazelcast's.
 *
 * <p>A reservation takes a slot while the user holds fewer than {@code max}. Slots reserved before
 * {@code staleBefore} may belong to a question whose chat node died before its stream registered; whether their
 * streams still run is for the caller to look up (a processor cannot wait on another entry), so a reservation that
 * finds the user at {@code max} with such slots among them is refused with those ids ({@link Reservation#stale}),
 * and the caller tries once more naming those it found gone: they are dropped, then the slot is taken if there is
 * room.
 */
public final class IdSetChange implements EntryProcessor<String, StampedIds, Object>, DataSerializable {
  private static final int ADD = 0;
  private static final int REMOVE = 1;
  private static final int RESERVE = 2;

  private int op;
  private String id;
  private long stamp;
  private int max;
  private long staleBefore;
  private List<String> gone;

  /** For Hazelcast's deserialisation only. */
  public IdSetChange() {}

  private IdSetChange(int op, String id, long stamp, int max, long staleBefore, List<String> gone) {
    this.op = op;
    this.id = id;
    this.stamp = stamp;
    this.max = max;
    this.staleBefore = staleBefore;
    this.gone = gone;
  }

  /** Adds {@code id} (kept as it is when present); the reply is null. */
  static IdSetChange add(String id, long stamp) {
    return new IdSetChange(ADD, id, stamp, 0, 0, List.of());
  }

  /** Removes {@code id}, and the whole entry once empty; the reply is null. */
  static IdSetChange remove(String id) {
    return new IdSetChange(REMOVE, id, 0, 0, 0, List.of());
  }

  /**
   * Reserves a slot for {@code id} stamped {@code now}, after dropping the slots in {@code gone}; the reply is a
   * {@link Reservation}. A slot held already for {@code id} (a retried call) counts as reserved.
   */
  static IdSetChange reserve(String id, long now, int max, long staleBefore, List<String> gone) {
    return new IdSetChange(RESERVE, id, now, max, staleBefore, List.copyOf(gone));
  }

  /** The set after this change ({@code null}: no entry) and the reply, from the set as it is ({@code null}: none). */
  record Outcome(StampedIds next, Object reply) {}

  Outcome applyTo(StampedIds current) {
    switch (op) {
      case ADD -> {
        return new Outcome(current == null ? StampedIds.of(id, stamp)
            : current.contains(id) ? current : current.with(id, stamp), null);
      }
      case REMOVE -> {
        return new Outcome(current == null || !current.contains(id) ? current : current.without(List.of(id)), null);
      }
      case RESERVE -> {
        if (max <= 0) {
          return new Outcome(current, Reservation.refused(List.of()));
        }
        StampedIds held = current == null || gone.isEmpty() ? current : current.without(gone);
        if (held == null) {
          return new Outcome(StampedIds.of(id, stamp), Reservation.TAKEN);
        }
        if (held.contains(id)) {
          return new Outcome(held, Reservation.TAKEN);
        }
        if (held.size() < max) {
          return new Outcome(held.with(id, stamp), Reservation.TAKEN);
        }
        return new Outcome(held, Reservation.refused(held.stampedBefore(staleBefore)));
      }
      default -> throw new IllegalStateException("unknown change " + op);
    }
  }

  @Override
  public Object process(Map.Entry<String, StampedIds> entry) {
    StampedIds current = entry.getValue();
    Outcome outcome = applyTo(current);
    if (outcome.next() != current) {
      entry.setValue(outcome.next());
    }
    return outcome.reply();
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeInt(op);
    out.writeString(id);
    out.writeLong(stamp);
    out.writeInt(max);
    out.writeLong(staleBefore);
    writeIds(out, gone);
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    op = in.readInt();
    id = in.readString();
    stamp = in.readLong();
    max = in.readInt();
    staleBefore = in.readLong();
    gone = readIds(in);
  }

  private static void writeIds(ObjectDataOutput out, List<String> ids) throws IOException {
    out.writeInt(ids.size());
    for (String id : ids) {
      out.writeString(id);
    }
  }

  private static List<String> readIds(ObjectDataInput in) throws IOException {
    int size = in.readInt();
    List<String> ids = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      ids.add(in.readString());
    }
    return ids;
  }

  /** A reservation's reply: taken, or refused with the user's slots old enough to be looked up. */
  public static final class Reservation implements DataSerializable {
    static final Reservation TAKEN = new Reservation(true, List.of());

    private boolean taken;
    private List<String> stale;

    /** For Hazelcast's deserialisation only. */
    public Reservation() {
      this(false, List.of());
    }

    private Reservation(boolean taken, List<String> stale) {
      this.taken = taken;
      this.stale = stale;
    }

    static Reservation refused(List<String> stale) {
      return new Reservation(false, stale);
    }

    boolean taken() {
      return taken;
    }

    /** For a refusal: the user's slots reserved before the grace, whose streams may be gone. */
    List<String> stale() {
      return stale;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
      out.writeBoolean(taken);
      writeIds(out, stale);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
      taken = in.readBoolean();
      stale = readIds(in);
    }
  }
}
