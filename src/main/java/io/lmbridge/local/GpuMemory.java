package io.lmbridge.local;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * GPU memory as NVIDIA's driver reports it through nvidia-smi: each device's total and used memory, and
 * what each process holds. A runner's GPU memory is no part of its resident size, so this is what shows
 * that a model sits on the GPU and that unloading it gave the memory back. Without nvidia-smi on the
 * PATH there is no NVIDIA driver, nothing to report, and nothing is run.
 */
final class GpuMemory {

  static final GpuMemory NONE = new GpuMemory(List.of(), Map.of());

  private static final System.Logger LOG = System.getLogger(GpuMemory.class.getName());
  private static final long MIB = 1024L * 1024;
  private static final long TIMEOUT_SECONDS = 5;
  private static final Optional<Path> NVIDIA_SMI = onPath("nvidia-smi");

  /** One GPU, as {@code nvidia-smi --query-gpu=index,name,memory.total,memory.used} lists it. */
  record Device(int index, String name, long totalBytes, long usedBytes) {

    JsonObject toJson() {
      return new JsonObject().put("index", index).put("name", name).put("memory_total_bytes", totalBytes)
          .put("memory_used_bytes", usedBytes);
    }
  }

  private final List<Device> devices;
  private final Map<Long, Long> bytesByProcess;

  private GpuMemory(List<Device> devices, Map<Long, Long> bytesByProcess) {
    this.devices = devices;
    this.bytesByProcess = bytesByProcess;
  }

  static boolean available() {
    return NVIDIA_SMI.isPresent();
  }

  /** Runs nvidia-smi twice, so call it off the event loop; a failure reads as no GPUs. */
  static GpuMemory read() {
    if (NVIDIA_SMI.isEmpty()) {
      return NONE;
    }
    try {
      return parse(query("--query-gpu=index,name,memory.total,memory.used"),
          query("--query-compute-apps=pid,used_memory"));
    } catch (IOException e) {
      LOG.log(System.Logger.Level.DEBUG, "nvidia-smi gave no GPU memory figures: " + e.getMessage());
      return NONE;
    }
  }

  /**
   * Reads nvidia-smi's {@code --format=csv,noheader,nounits} answers, where memory is in MiB. A line
   * that is not a figure (a process whose memory the driver cannot show reads "[N/A]") is left out.
   */
  static GpuMemory parse(String devicesCsv, String processesCsv) {
    List<Device> devices = new ArrayList<>();
    for (String[] fields : rows(devicesCsv, 4)) {
      try {
        devices.add(new Device(Integer.parseInt(fields[0]), fields[1], Long.parseLong(fields[2]) * MIB,
            Long.parseLong(fields[3]) * MIB));
      } catch (NumberFormatException notFigures) {
        // Not a device line.
      }
    }
    Map<Long, Long> bytesByProcess = new HashMap<>();
    for (String[] fields : rows(processesCsv, 2)) {
      try {
        // A process on several GPUs has a line for each.
        bytesByProcess.merge(Long.parseLong(fields[0]), Long.parseLong(fields[1]) * MIB, Long::sum);
      } catch (NumberFormatException notFigures) {
        // "[N/A]" or a message such as "No running processes found".
      }
    }
    return new GpuMemory(List.copyOf(devices), Map.copyOf(bytesByProcess));
  }

  /** What the process holds on all GPUs, or null when nvidia-smi does not list it. */
  Long processBytes(long pid) {
    return bytesByProcess.get(pid);
  }

  JsonArray devicesJson() {
    JsonArray json = new JsonArray();
    devices.forEach(device -> json.add(device.toJson()));
    return json;
  }

  private static List<String[]> rows(String csv, int columns) {
    List<String[]> rows = new ArrayList<>();
    for (String line : csv.split("\n")) {
      String[] fields = line.split(",");
      if (fields.length == columns) {
        for (int i = 0; i < columns; i++) {
          fields[i] = fields[i].trim();
        }
        rows.add(fields);
      }
    }
    return rows;
  }

  private static String query(String query) throws IOException {
    Process process = new ProcessBuilder(NVIDIA_SMI.get().toString(), query, "--format=csv,noheader,nounits")
        .redirectErrorStream(true).start();
    try {
      // The answer is a few lines, well within the pipe's buffer, so waiting before reading cannot stall it.
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        throw new IOException(query + " did not answer within " + TIMEOUT_SECONDS + " s");
      }
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (process.exitValue() != 0) {
        throw new IOException(query + " failed: " + output.strip());
      }
      return output;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(query + " was interrupted", e);
    } finally {
      process.destroyForcibly();
    }
  }

  private static Optional<Path> onPath(String command) {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    return Stream.of(path.split(java.io.File.pathSeparator)).map(dir -> Path.of(dir, command))
        .filter(Files::isExecutable).findFirst();
  }
}
