package dev.ordo.test;

import dev.ordo.personaldata.PersonalData;
import dev.ordo.personaldata.SealedValues;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** Personal data with its keys in memory, for tests of what seals and opens it. */
public final class InMemoryPersonalData implements PersonalData {

  private record Key(UUID id, byte[] bytes) {}

  private final Map<String, Key> bySubject = new ConcurrentHashMap<>();
  private final Map<UUID, Key> byId = new ConcurrentHashMap<>();

  @Override
  public String seal(String subject, String value) {
    if (value == null) {
      return null;
    }
    Key key = bySubject.computeIfAbsent(subject, s -> {
      Key created = new Key(UUID.randomUUID(), SealedValues.newKey());
      byId.put(created.id(), created);
      return created;
    });
    return SealedValues.seal(key.id(), key.bytes(), value);
  }

  @Override
  public String open(String value) {
    if (!PersonalData.sealed(value)) {
      return value;
    }
    Key key = byId.get(SealedValues.keyId(value));
    return key == null ? FORGOTTEN : SealedValues.open(value, key.bytes());
  }

  @Override
  public void forget(String subject) {
    Key key = bySubject.remove(subject);
    if (key != null) {
      byId.remove(key.id());
    }
  }
}
