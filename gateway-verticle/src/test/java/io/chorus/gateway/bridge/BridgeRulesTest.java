package io.chorus.gateway.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BridgeRulesTest {
  @Test
  void onlyCanonicalRoomAddressesNameAConversation() {
    String id = "3f2b1c9e-8d4a-4b6f-9a1e-2c3d4e5f6a7b";
    assertThat(BridgeRules.conversationIdOf("client.room." + id)).isEqualTo(id);
    assertThat(BridgeRules.conversationIdOf("client.room." + id.toUpperCase())).isNull();
    assertThat(BridgeRules.conversationIdOf("client.room.42")).isNull();
    assertThat(BridgeRules.conversationIdOf("client.user." + id)).isNull();
    assertThat(BridgeRules.conversationIdOf("conv." + id + ".events")).isNull();
  }
}
