package io.lmbridge.testkit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class GgufWriterTest {

  @Test
  void float16MatchesIeeeHalfPrecision() {
    assertThat(GgufWriter.float16(0f)).isEqualTo((short) 0x0000);
    assertThat(GgufWriter.float16(1f)).isEqualTo((short) 0x3c00);
    assertThat(GgufWriter.float16(-2f)).isEqualTo((short) 0xc000);
    assertThat(GgufWriter.float16(0.1f)).isEqualTo((short) 0x2e66);
    assertThat(GgufWriter.float16(65504f)).isEqualTo((short) 0x7bff);
    assertThat(GgufWriter.float16(1e6f)).isEqualTo((short) 0x7c00);
    // Subnormal: the smallest half, and a scale Q8_0 gives a block of tiny weights.
    assertThat(GgufWriter.float16(5.9604645e-8f)).isEqualTo((short) 0x0001);
    assertThat(GgufWriter.float16(1e-5f)).isEqualTo((short) 0x00a8);
  }
}
