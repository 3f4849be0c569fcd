package io.chorus.bench;

import io.chorus.fixtures.BridgeSocket;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * Set-up shared by the scenarios: C users in rooms of K, each with one socket registered to its room and
 * joined, so every later room event reaches it. Member {@code i} is in room {@code i / K}.
 */
final class Rooms {
  final List<HttpApi.Account> accounts;
  final List<String> conversations;
  final List<BridgeSocket> sockets;
  final int roomSize;

  private Rooms(List<HttpApi.Account> accounts, List<String> conversations, List<BridgeSocket> sockets, int roomSize) {
    this.accounts = accounts;
    this.conversations = conversations;
    this.sockets = sockets;
    this.roomSize = roomSize;
  }

  static Rooms create(Target target, String scenario, int clients, int roomSize) {
    long t0 = System.nanoTime();
    List<HttpApi.Account> accounts = Await.all(clients, 16, 30,
        i -> target.api.register(target.username(scenario, i)));
    int rooms = clients / roomSize;
    List<String> conversations = Await.all(rooms, 16, 30, r -> {
      List<HttpApi.Account> members = accounts.subList(r * roomSize + 1, (r + 1) * roomSize);
      return target.api.createConversation(accounts.get(r * roomSize), "bench " + scenario + " " + r, members);
    });
    List<BridgeSocket> sockets = Await.all(clients, 64, 30, i ->
        target.connect(i, clients, accounts.get(i).token())
            .compose(socket -> socket.enterRoom(conversations.get(i / roomSize)).map(joined -> socket)));
    System.out.printf("  set-up: %d users, %d rooms of %d, %d sockets joined in %.1f s%n", clients, rooms, roomSize,
        clients, (System.nanoTime() - t0) / 1e9);
    return new Rooms(accounts, conversations, sockets, roomSize);
  }

  String conversationOf(int member) {
    return conversations.get(member / roomSize);
  }

  void close() {
    List<Future<Void>> closing = new ArrayList<>();
    sockets.forEach(s -> closing.add(s.close()));
    try {
      Await.on(Future.join(closing), 30);
    } catch (RuntimeException e) {
      // closing is best effort: the server drops what is left
    }
  }
}
