package io.dgadmesh.redis;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dgadmesh.config.RedisConf;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import org.junit.jupiter.api.Test;

/**
 * redis.set may not start with {@link RedisConf#OWN_KEYS}, which holds only if every key
 * dgad-mesh keeps is under it: a key outside would be a todo set the configuration lets through.
 */
class RedisKeysTest {

  @Test
  void everyKeyOfDgadMeshIsUnderTheReservedPrefix() throws Exception {
    int checked = 0;
    for (Field f : RedisKeys.class.getDeclaredFields()) {
      if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
        f.setAccessible(true);
        String key = (String) f.get(null);
        assertTrue(key.startsWith(RedisConf.OWN_KEYS), f.getName() + " = " + key);
        checked++;
      }
    }
    for (Method m : RedisKeys.class.getDeclaredMethods()) {
      if (Modifier.isStatic(m.getModifiers()) && m.getReturnType() == String.class) {
        m.setAccessible(true);
        Object[] args = m.getParameterCount() == 1 ? new Object[] {"x"} : new Object[] {"x", 0};
        String key = (String) m.invoke(null, args);
        assertTrue(key.startsWith(RedisConf.OWN_KEYS), m.getName() + " -> " + key);
        checked++;
      }
    }
    assertTrue(checked >= 12, "found " + checked + " keys");
  }
}
