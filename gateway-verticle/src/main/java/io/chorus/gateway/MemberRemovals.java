package io.chorus.gateway;

import io.chorus.model.Addresses;
import io.chorus.model.events.PersonalEvent;
import io.chorus.model.events.RoomEvents;
import io.chorus.model.storage.MemberRemoved;
import io.chorus.model.storage.RemoveMember;
import io.chorus.model.storage.StoredMessage;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * A member leaves, or the owner removes one, for the HTTP API and the bridge alike. Storage ends the
 * membership and stores the notice with the next seq; then the room hears the notice (every gateway drops
 * the person's sockets from the room when it passes, see {@link RoomFanout}) and the person hears
 * {@code conversation_removed} on every device.
 */
final class MemberRemovals {
  private final ClusterClient cluster;

  MemberRemovals(ClusterClient cluster) {
    this.cluster = cluster;
  }

  Future<MemberRemoved> remove(String conversationId, Caller actor, String memberId) {
    return cluster.request(Addresses.STORAGE_MEMBER_REMOVE,
            new RemoveMember(conversationId, actor.userId(), actor.username(), memberId))
        .onSuccess(removed -> {
          StoredMessage notice = removed.notice();
          cluster.publish(Addresses.conversationEvents(conversationId), notice::toEvent);
          JsonObject personal = RoomEvents.conversationRemoved(conversationId, actor.userId(), actor.username());
          cluster.publish(Addresses.PERSONAL_EVENTS, new PersonalEvent(memberId, personal));
        });
  }
}
