package io.chorus.model.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterSettingsTest {
  @Test
  void expandsPortRangesAndKeepsOtherMembers() {
    ClusterSettings settings = new ClusterSettings("127.0.0.1", 5701,
        List.of("127.0.0.1:5701-5703", "storage", "10.0.0.2:5701"), "chorus", null);
    assertThat(ClusterSettings.expandPortRanges(settings.members())).isEqualTo(
        List.of("127.0.0.1:5701", "127.0.0.1:5702", "127.0.0.1:5703", "storage", "10.0.0.2:5701"));
  }
}
