package io.lmbridge.bus;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;

/**
 * Carries an immutable canonical record over the event bus: as JSON bytes between nodes, and as the
 * same instance within one, so a call between verticles of one node costs no serialization at all.
 */
final class RecordCodec<T> implements MessageCodec<T, T> {

  private final Class<T> type;

  RecordCodec(Class<T> type) {
    this.type = type;
  }

  @Override
  public void encodeToWire(Buffer buffer, T value) {
    Buffer json = BusCodec.encode(value);
    buffer.appendInt(json.length()).appendBuffer(json);
  }

  @Override
  public T decodeFromWire(int position, Buffer buffer) {
    int length = buffer.getInt(position);
    return BusCodec.decode(buffer.getBuffer(position + 4, position + 4 + length), type);
  }

  @Override
  public T transform(T value) {
    return value;
  }

  @Override
  public String name() {
    return "lmbridge." + type.getSimpleName();
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
