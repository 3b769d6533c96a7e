package io.lmbridge.local;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** nvidia-smi's {@code --format=csv,noheader,nounits} answers, memory in MiB, read into bytes. */
class GpuMemoryTest {

  private static final long MIB = 1024L * 1024;

  /** Both answers as nvidia-smi 580.159.04 gave them on an H200 with one CUDA process running. */
  @Test
  void readsEachDeviceAndWhatEachProcessHolds() {
    GpuMemory gpu = GpuMemory.parse("0, NVIDIA H200, 143771, 1551\n", "3706, 1542\n");

    assertThat(gpu.devicesJson()).hasSize(1);
    assertThat(gpu.devicesJson().getJsonObject(0)).isEqualTo(new JsonObject().put("index", 0)
        .put("name", "NVIDIA H200").put("memory_total_bytes", 143771 * MIB).put("memory_used_bytes", 1551 * MIB));
    assertThat(gpu.processBytes(3706)).isEqualTo(1542 * MIB);
    assertThat(gpu.processBytes(7777)).isNull();
  }

  @Test
  void aProcessOnSeveralGpusHoldsTheirSum() {
    GpuMemory gpu = GpuMemory.parse("0, NVIDIA H200, 143771, 1722\n1, NVIDIA H200, 143771, 300\n",
        "4242, 1204\n4242, 300\n5151, 96\n");

    assertThat(gpu.devicesJson()).hasSize(2);
    assertThat(gpu.processBytes(4242)).isEqualTo(1504 * MIB);
    assertThat(gpu.processBytes(5151)).isEqualTo(96 * MIB);
  }

  @Test
  void leavesOutWhatIsNotAFigure() {
    GpuMemory gpu = GpuMemory.parse("0, NVIDIA H100 80GB HBM3, 81559, [N/A]\n",
        "4242, [N/A]\nNo running processes found\n");

    assertThat(gpu.devicesJson()).isEmpty();
    assertThat(gpu.processBytes(4242)).isNull();
  }

  @Test
  void noAnswerMeansNoGpus() {
    assertThat(GpuMemory.parse("", "").devicesJson()).isEmpty();
    assertThat(GpuMemory.NONE.devicesJson()).isEmpty();
  }
}
